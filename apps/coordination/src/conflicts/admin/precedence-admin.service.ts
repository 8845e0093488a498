import type { EventStore, RecordedEvent } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { fold } from '../../infrastructure/decider-runner';
import { CLOCK, EVENT_STORE, type Clock } from '../../infrastructure/tokens';
import {
  conflictDecider, dryRunPrecedence, toPastConflict, validatePrecedence, type PastConflict, type Precedence, type Resolution,
} from '../domain';
import { PrecedenceStore, type CurrentPrecedence } from '../write/precedence.store';
import { requestContext, UnitOfWork, type Actor } from './unit-of-work';

// Only detection and triage matter to a dry run: later assignments and decisions do not change what the rules said.
const TRIAGE_TYPES = ['ConflictDetected', 'ConflictAutoResolved', 'ConflictQueued', 'ConflictSuperseded'];
const PAGE = 1000;

export interface DryRunResult {
  precedence: Precedence;
  examined: number;
  changes: Array<{ conflictId: string; kind: string; partyId: string; productLine: string; before: Resolution; after: Resolution }>;
}

/** Each conflict's triage as it was recorded, folded from the event store (the system of record). */
export function pastConflicts(events: readonly RecordedEvent[]): PastConflict[] {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    const stream = byStream.get(e.streamId) ?? [];
    stream.push(e);
    byStream.set(e.streamId, stream);
  }
  return [...byStream.values()].flatMap((stream) => toPastConflict(fold(conflictDecider, stream)) ?? []);
}

/** GET/PUT of the precedence, and the dry run a coordinator checks before switching. */
@Injectable()
export class PrecedenceAdminService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly precedence: PrecedenceStore,
    private readonly uow: UnitOfWork,
  ) {}

  current(): Promise<CurrentPrecedence> {
    return this.precedence.current();
  }

  change(next: Precedence, actor: Actor): Promise<CurrentPrecedence> {
    return this.uow.run((manager) => {
      const at = this.clock.now().toISOString();
      return this.precedence.change(next, requestContext(manager, actor, at), { actor: actor.id, at });
    });
  }

  async dryRun(candidate: Precedence): Promise<DryRunResult> {
    const precedence = validatePrecedence(candidate);
    const history = pastConflicts(await this.triageEvents());
    const byId = new Map(history.map((p) => [p.conflictId, p.conflict]));
    const changes = dryRunPrecedence(history, precedence).map((change) => {
      const conflict = byId.get(change.conflictId)!;
      return { ...change, kind: conflict.kind, partyId: conflict.partyId, productLine: conflict.productLine };
    });
    return { precedence, examined: history.length, changes };
  }

  private async triageEvents(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let fromPosition: string | undefined;
    for (;;) {
      const page = await this.store.readAll({ fromPosition, types: TRIAGE_TYPES, streamPrefix: 'conflict-', maxCount: PAGE });
      events.push(...page.events);
      if (page.isEnd) return events;
      fromPosition = page.nextPosition;
    }
  }
}
