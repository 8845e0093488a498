import { assertSubsidiary, forbidden, notFound, type Principal, type Subsidiary } from '@lib/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, Clock } from '../../infrastructure/tokens';
import { CreditLedger } from '../ledger/ledger.runner';
import { commandWrite, CommandWrite, CreditingUnitOfWork } from '../http/unit-of-work';
import { DisputeRow, findDispute, insertDispute, listDisputes, resolveDisputeRow } from './dispute.store';

export interface Resolution {
  outcome: 'uphold' | 'reject';
  standardPremiumDelta?: string;
  reason: string;
}

interface LineRef {
  line_id: string;
  subsidiary: string | null;
  product_subsidiary: string;
  policy_no: string;
}

const GROUP_ROLES = ['coordinator', 'auditor', 'admin'] as const;

/**
 * Assessment disputes: the credited side's subsidiary (or a coordinator) contests a credit line,
 * a coordinator upholds it with a standard-premium adjustment or rejects it. Every step is an
 * event on the policy's ledger; coordination.credit_disputes mirrors them for listing.
 */
@Injectable()
export class DisputeService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly uow: CreditingUnitOfWork,
    private readonly ledger: CreditLedger,
  ) {}

  file(lineId: string, reason: string, principal: Principal, correlationId?: string): Promise<DisputeRow> {
    return this.uow.run(async (manager) => {
      const line = await this.line(manager, lineId);
      if (line.subsidiary) assertSubsidiary(principal, line.subsidiary as Subsidiary, { allowRoles: ['coordinator'] });
      else if (!principal.roles.includes('coordinator')) throw forbidden('Only a coordinator may dispute a line whose subsidiary is unknown.');
      const now = this.clock.now();
      const write = commandWrite(principal, correlationId, now);
      const data = { disputeId: write.requestId, lineId, reason, filedBy: principal.id, filedAt: now.toISOString() };
      await this.ledger.run(manager, line.product_subsidiary, line.policy_no, async () => ({ command: { type: 'FileDispute', data } }), this.ids(write));
      await insertDispute(manager, { ...data, subsidiary: line.subsidiary, productSubsidiary: line.product_subsidiary, policyNo: line.policy_no });
      return (await findDispute(manager, data.disputeId))!;
    });
  }

  resolve(disputeId: string, resolution: Resolution, principal: Principal, correlationId?: string): Promise<DisputeRow> {
    return this.uow.run(async (manager) => {
      const dispute = await findDispute(manager, disputeId);
      if (!dispute) throw notFound('CREDIT_DISPUTE_NOT_FOUND', `no dispute ${disputeId}`);
      const now = this.clock.now();
      const write = commandWrite(principal, correlationId, now);
      const data = { disputeId, outcome: resolution.outcome, reason: resolution.reason, resolvedBy: principal.id, resolvedAt: now.toISOString(),
        ...(resolution.standardPremiumDelta !== undefined ? { standardPremiumDelta: resolution.standardPremiumDelta } : {}) };
      await this.ledger.run(manager, dispute.productSubsidiary, dispute.policyNo, async () => ({ command: { type: 'ResolveDispute', data } }), this.ids(write));
      const status = resolution.outcome === 'uphold' ? 'upheld' : 'rejected';
      await resolveDisputeRow(manager, disputeId, { status, reason: resolution.reason, delta: resolution.outcome === 'uphold' ? resolution.standardPremiumDelta ?? null : null, by: principal.id, at: data.resolvedAt });
      return (await findDispute(manager, disputeId))!;
    });
  }

  /** Subsidiary principals see the disputes about their own people's lines only. */
  list(principal: Principal, status: string | undefined, limit: number): Promise<DisputeRow[]> {
    const group = principal.roles.some((r) => (GROUP_ROLES as readonly string[]).includes(r));
    const subsidiary = group ? undefined : principal.subsidiary ?? '-';
    return listDisputes(this.dataSource.manager, { status, subsidiary, limit });
  }

  private async line(manager: EntityManager, lineId: string): Promise<LineRef> {
    const rows: LineRef[] = await manager.query(
      'SELECT line_id, subsidiary, product_subsidiary, policy_no FROM coordination.credit_lines WHERE line_id = $1',
      [lineId],
    );
    if (!rows[0]) throw notFound('CREDIT_LINE_NOT_FOUND', `no credit line ${lineId}`);
    return rows[0];
  }

  private ids(write: CommandWrite) {
    return { metadata: write.metadata, eventId: (e: { type: string }, i: number) => write.eventId(e.type, String(i)) };
  }
}
