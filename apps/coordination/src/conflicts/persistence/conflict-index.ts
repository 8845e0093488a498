import type { EntityManager } from 'typeorm';
import type { ResolvedCreditDecision } from '../conflicts.ports';
import { isDecided, toCreditDecision, type ConflictState, type RecordedScopeConflict, type Subsidiary } from '../domain';

export interface IndexedConflict {
  conflictId: string;
  status: string;
  productSubsidiary: Subsidiary | null;
  referralIds: string[];
  decision: ResolvedCreditDecision | null;
}

/** Every referral a conflict touches: its subject and each claimant's registration. */
function referralIdsOf(state: Exclude<ConflictState, { status: 'none' }>): string[] {
  const ids = state.conflict.claimants.map((c) => c.referralId).filter((id): id is string => Boolean(id));
  if (state.conflict.subject?.referralId) ids.push(state.conflict.subject.referralId);
  return [...new Set(ids)];
}

/** The decision crediting consumes, with the contested sale's subsidiary when the conflict knows it. */
export function creditDecisionOf(state: ConflictState, productSubsidiary: Subsidiary | null): ResolvedCreditDecision | null {
  if (!isDecided(state)) return null;
  return { ...toCreditDecision(state), ...(productSubsidiary ? { productSubsidiary } : {}) };
}

/**
 * Mirrors a conflict stream's state (same transaction as its events). `key` is set for the conflicts a
 * registration raised, which are reconciled with the party's facts by that natural key.
 */
export async function saveConflict(manager: EntityManager, state: ConflictState, productSubsidiary: Subsidiary | null, key?: string): Promise<void> {
  if (state.status === 'none') return;
  const decision = creditDecisionOf(state, productSubsidiary);
  await manager.query(
    `INSERT INTO coordination.conflict_index (conflict_id, kind, party_id, product_line, product_subsidiary, policy_no, referral_ids, status, decision, conflict_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (conflict_id) DO UPDATE SET status = EXCLUDED.status, decision = EXCLUDED.decision,
       conflict_key = COALESCE(EXCLUDED.conflict_key, coordination.conflict_index.conflict_key),
       product_subsidiary = COALESCE(coordination.conflict_index.product_subsidiary, EXCLUDED.product_subsidiary)`,
    [
      state.conflictId, state.conflict.kind, state.conflict.partyId, state.conflict.productLine, productSubsidiary,
      state.conflict.subject?.policyNo ?? null, referralIdsOf(state), state.status, decision ? JSON.stringify(decision) : null, key ?? null,
    ],
  );
}

interface Row {
  conflict_id: string;
  status: string;
  product_subsidiary: Subsidiary | null;
  referral_ids: string[];
  decision: ResolvedCreditDecision | null;
}
const SELECT = 'SELECT conflict_id::text, status, product_subsidiary, referral_ids, decision FROM coordination.conflict_index';
const toIndexed = (r: Row): IndexedConflict => ({
  conflictId: r.conflict_id, status: r.status, productSubsidiary: r.product_subsidiary, referralIds: r.referral_ids, decision: r.decision,
});

export async function indexedConflict(manager: EntityManager, conflictId: string): Promise<IndexedConflict | undefined> {
  const rows: Row[] = await manager.query(
    `${SELECT} WHERE conflict_id = $1`,
    [conflictId],
  );
  return rows[0] && toIndexed(rows[0]);
}

/** Standing conflicts that involve a referral, newest first (superseded ones no longer stand). */
export async function conflictsOfReferral(manager: EntityManager, referralId: string): Promise<IndexedConflict[]> {
  const rows: Row[] = await manager.query(
    `${SELECT} WHERE referral_ids @> ARRAY[$1]::text[] AND status <> 'superseded' ORDER BY seq DESC`,
    [referralId],
  );
  return rows.map(toIndexed);
}

export interface ScopeConflictRows {
  /** The conflicts reconciled by natural key (see reconcileScope). */
  keyed: RecordedScopeConflict[];
  /**
   * Sales whose policy-vs-registration conflict was recorded before those conflicts were reconciled
   * by natural key: they keep that conflict and are not judged again (it would be detected twice).
   */
  judgedBefore: Set<string>;
  /** Whether any conflict of the party in this line stands (keyed or not). */
  standing: boolean;
}

/** Every conflict of a party in one line, in one read. */
export async function scopeConflicts(manager: EntityManager, partyId: string, productLine: string): Promise<ScopeConflictRows> {
  const rows: Array<{ conflict_id: string; conflict_key: string | null; status: string; kind: string; policy_no: string | null }> = await manager.query(
    `SELECT conflict_id::text, conflict_key, status, kind, policy_no FROM coordination.conflict_index
      WHERE party_id = $1 AND product_line = $2 ORDER BY seq`,
    [partyId, productLine],
  );
  const keyed = rows.filter((r) => r.conflict_key !== null).map((r) => ({ conflictId: r.conflict_id, key: r.conflict_key!, status: r.status }));
  const legacy = rows.filter((r) => r.conflict_key === null && r.kind === 'policy-vs-registration' && r.policy_no !== null);
  return { keyed, judgedBefore: new Set(legacy.map((r) => r.policy_no!)), standing: rows.some((r) => r.status !== 'superseded') };
}

/** Standing conflicts a sale raised (policy-vs-registration), newest first. */
export async function conflictsOfSale(manager: EntityManager, partyId: string, productLine: string, policyNo: string): Promise<IndexedConflict[]> {
  const rows: Row[] = await manager.query(
    `${SELECT} WHERE party_id = $1 AND product_line = $2 AND policy_no = $3 AND kind = 'policy-vs-registration' AND status <> 'superseded'
      ORDER BY seq DESC`,
    [partyId, productLine, policyNo],
  );
  return rows.map(toIndexed);
}
