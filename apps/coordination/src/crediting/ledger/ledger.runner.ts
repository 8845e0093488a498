import type { EventMetadata, EventStore, RecordedEvent } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { HierarchyHistory, PolicyCreditState, PolicyHistoryItem } from '../domain';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { attributionOf, personOf, saleOf } from './attribution';
import {
  CreditLedgerCommand, CreditLedgerEvent, decideLedger, evolveLedger, foldLedger, ledgerEventLines, ledgerEventReattributed, ledgerStreamId,
} from './credit-ledger';

/** What to do to a ledger, decided after reading it (the command usually needs its state). */
export interface LedgerPlan {
  command: CreditLedgerCommand;
  /** The hierarchy the command was computed with, reused for the read-model attribution. */
  hierarchy?: HierarchyHistory;
  pendingConflictId?: string;
}

export interface LedgerWrite {
  metadata: EventMetadata;
  /** Deterministic id of the i-th event the command produced. */
  eventId(event: CreditLedgerEvent, index: number): string;
  /** Takes the ledger index's write instead of the run awaiting it (an inbound handler's InboundContext.defer). */
  defer?(write: Promise<unknown>): void;
}

export interface LedgerRead {
  state: PolicyCreditState;
  events: CreditLedgerEvent[];
  recorded: RecordedEvent[];
}

const itemDate = (item: PolicyHistoryItem): string => (item.kind === 'transaction' ? item.transaction.effectiveDate : item.effectiveDate);

/**
 * Read, fold, decide, append with the revision read — in the caller's transaction, like the
 * core decider runner — plus what the read side needs: line attribution in the event and the
 * inline ledger index (which policies a retroactive rule set must re-price).
 */
@Injectable()
export class CreditLedger {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly hierarchy: HierarchyLoader,
  ) {}

  async read(manager: EntityManager, subsidiary: string, policyNo: string): Promise<LedgerRead> {
    const recorded = await this.store.readStream(ledgerStreamId(subsidiary, policyNo), { manager });
    const events = recorded.map((e) => ({ type: e.type, data: e.data }) as CreditLedgerEvent);
    return { state: foldLedger(events), events, recorded };
  }

  /** `read`: the ledger as the caller read it in this transaction (with reads of its own, in one round trip), none written since. */
  async run(
    manager: EntityManager, subsidiary: string, policyNo: string,
    plan: (state: PolicyCreditState) => Promise<LedgerPlan | null>, write: LedgerWrite, read?: LedgerRead,
  ): Promise<{ events: CreditLedgerEvent[]; state: PolicyCreditState }> {
    const { state, recorded } = read ?? (await this.read(manager, subsidiary, policyNo));
    const planned = await plan(state);
    if (!planned) return { events: [], state };
    const events = decideLedger(planned.command, state);
    if (events.length === 0) return { events, state };
    const next = events.reduce(evolveLedger, state);
    const data = await this.withAttribution(manager, events, next, planned);
    const expected = recorded.length === 0 ? 'no_stream' : recorded[recorded.length - 1].streamRevision;
    // The append and the index row in one round trip (in an inbound batch the append is held to its end);
    // a refused append fails the transaction, and the index write with it. Deferred, the index write is awaited by the caller.
    const appended = this.store.append(
      ledgerStreamId(subsidiary, policyNo),
      events.map((event, i) => ({ eventId: write.eventId(event, i), type: event.type, data: data[i], metadata: write.metadata })),
      expected,
      { manager },
    );
    const indexed = this.index(manager, subsidiary, policyNo, next);
    if (write.defer) write.defer(indexed);
    await Promise.all(write.defer ? [appended] : [appended, indexed]);
    return { events, state: next };
  }

  /**
   * Each event with lines (or lines it restates) carries their attribution, taken from the sale as it
   * stands after the events (`next`): a relink's own lines and the lines it restates read the new seller.
   */
  private async withAttribution(manager: EntityManager, events: CreditLedgerEvent[], next: PolicyCreditState, planned: LedgerPlan): Promise<unknown[]> {
    const recording = planned.command.type === 'RecordPolicyTransaction' ? planned.command.data.transaction : undefined;
    const sale = saleOf(next, recording);
    const attributed = (e: CreditLedgerEvent) => ledgerEventLines(e).length > 0 || ledgerEventReattributed(e).length > 0;
    if (!sale || !events.some(attributed)) return events.map((e) => e.data);
    const people = events.flatMap((e) => ledgerEventLines(e).map(personOf)).filter((id): id is string => id !== null);
    const known = planned.hierarchy;
    const hierarchy = known && people.every((id) => known.has(id)) ? known : await this.hierarchy.load(manager, people);
    return events.map((e) => (!attributed(e) ? e.data
      : { ...e.data, attribution: attributionOf(ledgerEventLines(e), hierarchy, sale, planned.pendingConflictId) }));
  }

  private async index(manager: EntityManager, subsidiary: string, policyNo: string, state: PolicyCreditState): Promise<void> {
    const dates = state.items.map(itemDate).sort();
    await manager.query(
      `INSERT INTO coordination.credit_ledgers (subsidiary, policy_no, first_date, last_date, status)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subsidiary, policy_no) DO UPDATE SET first_date = EXCLUDED.first_date, last_date = EXCLUDED.last_date, status = EXCLUDED.status`,
      [subsidiary, policyNo, dates[0] ?? null, dates[dates.length - 1] ?? null, state.status],
    );
  }
}
