import type { EntityManager } from 'typeorm';
import { OPEN_REFERRAL_STAGES, type ReferralSnapshot, type ReferralStage, type ReferralState, type Subsidiary } from '../domain';

const COLUMNS = `referral_id, party_id, product_line, product_subsidiary, referring_subsidiary, referring_agent_id,
  channel, status, registered_at, window_ends_at, policy_no, lost_at`;

interface Row {
  referral_id: string;
  party_id: string;
  product_line: string;
  product_subsidiary: Subsidiary;
  referring_subsidiary: Subsidiary;
  referring_agent_id: string;
  channel: string;
  status: ReferralStage;
  registered_at: Date;
  window_ends_at: Date;
  policy_no: string | null;
  lost_at: Date | null;
}

export type IndexedReferral = ReferralSnapshot & { readonly policyNo: string | null };

function toSnapshot(row: Row): IndexedReferral {
  return {
    referralId: row.referral_id,
    partyId: row.party_id,
    productLine: row.product_line,
    productSubsidiary: row.product_subsidiary,
    referrer: { subsidiary: row.referring_subsidiary, agentId: row.referring_agent_id, channel: row.channel },
    registeredAt: row.registered_at.toISOString(),
    windowEndsAt: row.window_ends_at.toISOString(),
    status: row.status,
    policyNo: row.policy_no,
    ...(row.lost_at ? { lostAt: row.lost_at.toISOString() } : {}),
  };
}

/** The referral's row as committed, unlocked: to learn its party before taking the party's lock, then the row's. */
export async function findReferral(manager: EntityManager, referralId: string): Promise<IndexedReferral | undefined> {
  const rows: Row[] = await manager.query(`SELECT ${COLUMNS} FROM coordination.referral_index WHERE referral_id = $1`, [referralId]);
  return rows[0] && toSnapshot(rows[0]);
}

/** The referral's row, locked so two writers of one referral take turns. */
export async function lockReferral(manager: EntityManager, referralId: string): Promise<IndexedReferral | undefined> {
  const rows: Row[] = await manager.query(`SELECT ${COLUMNS} FROM coordination.referral_index WHERE referral_id = $1 FOR UPDATE`, [referralId]);
  return rows[0] && toSnapshot(rows[0]);
}

/**
 * When the referral stopped holding its line in business time: a sale's issue time or the loss.
 * Expiry is not recorded: it is the window's end, which the rules read directly.
 */
function businessClose(state: Exclude<ReferralState, { status: 'none' }>): string | null {
  return state.status === 'converted' || state.status === 'lost' ? (state.closedAt ?? null) : null;
}

/** Mirrors the referral stream's state after an append (insert on registration, then updates). */
export async function saveReferral(manager: EntityManager, state: ReferralState): Promise<void> {
  if (state.status === 'none') return;
  await manager.query(
    `INSERT INTO coordination.referral_index (${COLUMNS}, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (referral_id) DO UPDATE SET status = EXCLUDED.status, policy_no = EXCLUDED.policy_no, closed_at = EXCLUDED.closed_at,
       lost_at = EXCLUDED.lost_at`,
    [
      state.referralId, state.partyId, state.productLine, state.productSubsidiary, state.referrer.subsidiary, state.referrer.agentId,
      state.referrer.channel, state.status, state.registeredAt, state.windowEndsAt, state.policyNo ?? null, state.lostAt ?? null, businessClose(state),
    ],
  );
}

/** The party's product lines with a registration, a quote or another approach (`*`: naming no line): those whose conflicts read the party's tier. */
export async function linesWithApproaches(manager: EntityManager, partyId: string): Promise<string[]> {
  const rows: Array<{ product_line: string }> = await manager.query(
    `SELECT product_line FROM coordination.referral_index WHERE party_id = $1
     UNION SELECT product_line FROM coordination.quote_index WHERE party_id = $1
     UNION SELECT product_line FROM coordination.approach_index WHERE party_id = $1 ORDER BY 1`,
    [partyId],
  );
  return rows.map((r) => r.product_line);
}

/** Referrals a policy for this party and line could convert, plus the one it names (whatever its party). */
export async function referralsForPolicy(
  manager: EntityManager, partyId: string, productLine: string, namedReferralId: string | null,
): Promise<IndexedReferral[]> {
  const rows: Row[] = await manager.query(
    `SELECT ${COLUMNS} FROM coordination.referral_index
     WHERE (party_id = $1 AND product_line = $2) OR referral_id = $3 ORDER BY registered_at, referral_id`,
    [partyId, productLine, namedReferralId],
  );
  return rows.map(toSnapshot);
}

export async function openReferrals(manager: EntityManager, partyId: string, productLine: string): Promise<IndexedReferral[]> {
  const rows: Row[] = await manager.query(
    `SELECT ${COLUMNS} FROM coordination.referral_index
     WHERE party_id = $1 AND product_line = $2 AND status = ANY($3) ORDER BY registered_at, referral_id`,
    [partyId, productLine, [...OPEN_REFERRAL_STAGES]],
  );
  return rows.map(toSnapshot);
}

/** Open referrals whose window has ended at `now`, oldest window first, skipping rows another instance holds. */
export async function referralsDueForExpiry(manager: EntityManager, now: Date, limit: number): Promise<IndexedReferral[]> {
  const rows: Row[] = await manager.query(
    `SELECT ${COLUMNS} FROM coordination.referral_index
     WHERE status = ANY($1) AND window_ends_at <= $2 ORDER BY window_ends_at, referral_id LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [[...OPEN_REFERRAL_STAGES], now, limit],
  );
  return rows.map(toSnapshot);
}

/** The policy that converted one of these referrals, if any: a conflict about them decides that sale's credit. */
export async function convertedPolicyOf(
  manager: EntityManager, referralIds: readonly string[],
): Promise<{ policyNo: string; productSubsidiary: Subsidiary } | undefined> {
  if (referralIds.length === 0) return undefined;
  const rows: Array<{ policy_no: string; product_subsidiary: Subsidiary }> = await manager.query(
    `SELECT policy_no, product_subsidiary FROM coordination.referral_index
     WHERE referral_id = ANY($1) AND status = 'converted' AND policy_no IS NOT NULL ORDER BY registered_at, referral_id LIMIT 1`,
    [[...referralIds]],
  );
  return rows[0] && { policyNo: rows[0].policy_no, productSubsidiary: rows[0].product_subsidiary };
}

export type ScopeReferral = IndexedReferral & { readonly closedAt: string | null };

/**
 * Every registration of the party in this line that could hold it at some moment: open ones,
 * expired ones (their window says until when) and those closed in business time (converted, lost).
 * Closed ones without a recorded close time (before it was kept) are left out, as before.
 */
export async function scopeReferrals(manager: EntityManager, partyId: string, productLine: string): Promise<ScopeReferral[]> {
  const rows: Array<Row & { closed_at: Date | null }> = await manager.query(
    `SELECT ${COLUMNS}, closed_at FROM coordination.referral_index
     WHERE party_id = $1 AND product_line = $2 AND (status = ANY($3) OR status = 'expired' OR closed_at IS NOT NULL)
     ORDER BY registered_at, referral_id`,
    [partyId, productLine, [...OPEN_REFERRAL_STAGES]],
  );
  return rows.map((r) => ({ ...toSnapshot(r), closedAt: r.closed_at ? r.closed_at.toISOString() : null }));
}
