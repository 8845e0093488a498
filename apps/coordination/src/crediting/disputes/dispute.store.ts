import type { EntityManager } from 'typeorm';

/** coordination.credit_disputes: the disputes of every ledger, kept with their ledger events (same transaction). */
export interface DisputeRow {
  disputeId: string;
  lineId: string;
  subsidiary: string | null;
  productSubsidiary: string;
  policyNo: string;
  status: 'open' | 'upheld' | 'rejected';
  reason: string;
  filedBy: string;
  filedAt: string;
  resolution: { outcome: string; reason: string; standardPremiumDelta: string | null; resolvedBy: string; resolvedAt: string } | null;
}

const COLUMNS = `dispute_id AS "disputeId", line_id AS "lineId", subsidiary, product_subsidiary AS "productSubsidiary", policy_no AS "policyNo",
  status, reason, filed_by AS "filedBy", filed_at AS "filedAt", resolution_reason, standard_premium_delta::text AS delta, resolved_by, resolved_at`;

interface Raw extends Omit<DisputeRow, 'resolution' | 'filedAt'> {
  filedAt: Date;
  resolution_reason: string | null;
  delta: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
}

const toRow = (r: Raw): DisputeRow => ({
  disputeId: r.disputeId, lineId: r.lineId, subsidiary: r.subsidiary, productSubsidiary: r.productSubsidiary, policyNo: r.policyNo,
  status: r.status, reason: r.reason, filedBy: r.filedBy, filedAt: r.filedAt.toISOString(),
  resolution: r.resolved_at
    ? { outcome: r.status === 'upheld' ? 'uphold' : 'reject', reason: r.resolution_reason ?? '', standardPremiumDelta: r.delta, resolvedBy: r.resolved_by ?? '', resolvedAt: r.resolved_at.toISOString() }
    : null,
});

export async function insertDispute(manager: EntityManager, d: Omit<DisputeRow, 'status' | 'resolution'>): Promise<void> {
  await manager.query(
    `INSERT INTO coordination.credit_disputes (dispute_id, line_id, subsidiary, product_subsidiary, policy_no, status, reason, filed_by, filed_at)
     VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8)`,
    [d.disputeId, d.lineId, d.subsidiary, d.productSubsidiary, d.policyNo, d.reason, d.filedBy, d.filedAt],
  );
}

export async function resolveDisputeRow(
  manager: EntityManager, disputeId: string, r: { status: 'upheld' | 'rejected'; reason: string; delta: string | null; by: string; at: string },
): Promise<void> {
  await manager.query(
    `UPDATE coordination.credit_disputes SET status = $2, resolution_reason = $3, standard_premium_delta = $4, resolved_by = $5, resolved_at = $6
      WHERE dispute_id = $1`,
    [disputeId, r.status, r.reason, r.delta, r.by, r.at],
  );
}

export async function findDispute(manager: EntityManager, disputeId: string): Promise<DisputeRow | undefined> {
  const rows: Raw[] = await manager.query(`SELECT ${COLUMNS} FROM coordination.credit_disputes WHERE dispute_id = $1`, [disputeId]);
  return rows[0] && toRow(rows[0]);
}

export async function listDisputes(manager: EntityManager, filter: { status?: string; subsidiary?: string; limit: number }): Promise<DisputeRow[]> {
  const rows: Raw[] = await manager.query(
    `SELECT ${COLUMNS} FROM coordination.credit_disputes
      WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR subsidiary = $2)
      ORDER BY filed_at DESC, dispute_id LIMIT $3`,
    [filter.status ?? null, filter.subsidiary ?? null, filter.limit],
  );
  return rows.map(toRow);
}
