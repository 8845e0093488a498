import { notFound, unprocessable, type Principal } from '@lib/platform';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CONFLICTS_SERVICING_REJUDGEMENT, type ServicingChange, type ServicingRejudgementPort } from '../../conflicts/conflicts.ports';
import { CLOCK, Clock } from '../../infrastructure/tokens';
import { findAgent } from '../../portfolio/portfolio.store';
import { commandWrite, CreditingUnitOfWork } from '../http/unit-of-work';
import { OrphanService } from './orphan.service';
import { PendingReassignment, pendingOf } from './pending-reassignments';
import { bookAsMade, recordBookReassignment } from './book-reassignments';

export interface ReassignmentRequest {
  toAgentId: string;
  /** Only these of the agent's policies (every subsidiary's policy with that number); all when absent. */
  policyNos?: string[];
  reason: string;
}

/**
 * A coordinator's decision for an agent's book: the 'coordinator' orphan rule ends here. It is effective
 * the day it is made, so the approaches dated that day or later that arrived before it were judged with the
 * previous servicer's team: conflicts judges them again in the same transaction (absent conflicts, as in
 * crediting's own test app, nothing is judged). The hand-outs of terminations dated that day or later are
 * judged again too (the loads and books of the agents involved change from it), and a reassignment of the
 * whole book (no policies named) is kept: it means the agent's book as of its date in every arrival order.
 */
@Injectable()
export class ReassignmentService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly uow: CreditingUnitOfWork,
    private readonly orphans: OrphanService,
    @Optional() @Inject(CONFLICTS_SERVICING_REJUDGEMENT) private readonly rejudgement?: ServicingRejudgementPort,
  ) {}

  pending(agentId: string): Promise<PendingReassignment[]> {
    return pendingOf(this.dataSource.manager, agentId);
  }

  reassign(agentId: string, request: ReassignmentRequest, principal: Principal, correlationId?: string) {
    return this.uow.run(async (manager) => {
      if (request.toAgentId === agentId) throw unprocessable('REASSIGNMENT_TARGET_INVALID', 'an agent cannot take over their own book');
      const target = await findAgent(manager, request.toAgentId);
      if (!target || target.status !== 'active') {
        throw unprocessable('REASSIGNMENT_TARGET_INVALID', `agent ${request.toAgentId} is not an active agent`, [{ field: 'toAgentId', message: 'must be an active agent' }]);
      }
      const now = this.clock.now();
      const effectiveDate = now.toISOString().slice(0, 10);
      // The agent's book as of today, as a reassignment made now takes it (every coordinator's reassignment today came before).
      const book = await bookAsMade(manager, agentId, { effectiveDate, afterSeq: Number.MAX_SAFE_INTEGER });
      const wanted = request.policyNos ? new Set(request.policyNos) : null;
      const policies = wanted ? book.filter((p) => wanted.has(p.policyNo)) : book;
      const unknown = request.policyNos?.filter((no) => !book.some((p) => p.policyNo === no)) ?? [];
      if (policies.length === 0 || unknown.length > 0) {
        throw notFound('NO_POLICIES_TO_REASSIGN', `agent ${agentId} services no in-force ${unknown.length ? `policy ${unknown.join(', ')}` : 'policies'}`);
      }
      const changed = new Map<string, ServicingChange>();
      const write = {
        ...commandWrite(principal, correlationId, now),
        servicingChanged: ({ subsidiary, policyNo, partyId }: ServicingChange) => changed.set(`${subsidiary}/${policyNo}`, { subsidiary, policyNo, partyId }),
      };
      // The whole book is kept: a fact arriving later that in business order gives the agent a policy before today hands it on too.
      // Its hand-outs name it: a named reassignment with the same giver, target and day is never taken for it.
      const whole = wanted ? undefined : await recordBookReassignment(manager, { fromAgentId: agentId, toAgentId: request.toAgentId, effectiveDate, reason: request.reason, madeAt: now });
      const agents = [agentId, request.toAgentId];
      for (const policy of policies) {
        const change = { policy, fromAgentId: agentId, toAgentId: request.toAgentId, rule: 'coordinator', effectiveDate, reason: request.reason, bookId: whole?.id };
        agents.push(...await this.orphans.reassign(manager, change, write));
      }
      // The loads and books of the agents involved differ from today: the hand-outs of terminations dated since in their branches are judged again.
      await this.orphans.afterReassignment(manager, agents, effectiveDate, write);
      await this.rejudgement?.servicingChanged([...changed.values()], { manager, metadata: write.metadata, eventId: write.eventId });
      return { fromAgentId: agentId, toAgentId: request.toAgentId, effectiveDate, reassigned: policies.map(({ subsidiary, policyNo }) => ({ subsidiary, policyNo })) };
    });
  }
}
