import { notFound, unprocessable, type Principal } from '@lib/platform';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CONFLICTS_SERVICING_REJUDGEMENT, type ServicingChange, type ServicingRejudgementPort } from '../../conflicts/conflicts.ports';
import { CLOCK, Clock } from '../../infrastructure/tokens';
import { findAgent } from '../../portfolio/portfolio.store';
import { commandWrite, CreditingUnitOfWork } from '../http/unit-of-work';
import { servicedPolicies } from '../inbound/policy-facts';
import { OrphanService } from './orphan.service';
import { PendingReassignment, pendingOf } from './pending-reassignments';

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
 * crediting's own test app, nothing is judged).
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
      const book = await servicedPolicies(manager, agentId);
      const wanted = request.policyNos ? new Set(request.policyNos) : null;
      const policies = wanted ? book.filter((p) => wanted.has(p.policyNo)) : book;
      const unknown = request.policyNos?.filter((no) => !book.some((p) => p.policyNo === no)) ?? [];
      if (policies.length === 0 || unknown.length > 0) {
        throw notFound('NO_POLICIES_TO_REASSIGN', `agent ${agentId} services no in-force ${unknown.length ? `policy ${unknown.join(', ')}` : 'policies'}`);
      }
      const now = this.clock.now();
      const changed = new Map<string, ServicingChange>();
      const write = {
        ...commandWrite(principal, correlationId, now),
        servicingChanged: ({ subsidiary, policyNo, partyId }: ServicingChange) => changed.set(`${subsidiary}/${policyNo}`, { subsidiary, policyNo, partyId }),
      };
      const effectiveDate = now.toISOString().slice(0, 10);
      for (const policy of policies) {
        await this.orphans.reassign(manager, { policy, fromAgentId: agentId, toAgentId: request.toAgentId, rule: 'coordinator', effectiveDate, reason: request.reason }, write);
      }
      await this.rejudgement?.servicingChanged([...changed.values()], { manager, metadata: write.metadata, eventId: write.eventId });
      return { fromAgentId: agentId, toAgentId: request.toAgentId, effectiveDate, reassigned: policies.map(({ subsidiary, policyNo }) => ({ subsidiary, policyNo })) };
    });
  }
}
