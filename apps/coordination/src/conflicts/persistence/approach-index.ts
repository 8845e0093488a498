import type { EntityManager } from 'typeorm';
import { ANY_PRODUCT_LINE, type ApproachActivity, type ScopeApproach, type Subsidiary } from '../domain';

/** Records an approach once per activity (the key is the subsidiary's activity id); one naming no line is kept in the `*` scope. */
export async function saveApproach(manager: EntityManager, approachId: string, approach: ApproachActivity): Promise<void> {
  await manager.query(
    `INSERT INTO coordination.approach_index (approach_id, party_id, product_line, subsidiary, channel, agent_id, approached_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (approach_id) DO NOTHING`,
    [approachId, approach.partyId, approach.productLine ?? ANY_PRODUCT_LINE, approach.subsidiary, approach.channel, approach.agentId, approach.at],
  );
}

/** Every approach of the party in one scope (a line, or `*` for those naming none), for judging each as of its time. */
export async function scopeApproaches(manager: EntityManager, partyId: string, productLine: string): Promise<ScopeApproach[]> {
  const rows: Array<{ approach_id: string; party_id: string; product_line: string; subsidiary: Subsidiary; channel: string; agent_id: string; approached_at: Date }> =
    await manager.query(
      `SELECT approach_id, party_id, product_line, subsidiary, channel, agent_id, approached_at FROM coordination.approach_index
        WHERE party_id = $1 AND product_line = $2 ORDER BY approached_at, approach_id`,
      [partyId, productLine],
    );
  return rows.map((r) => ({
    approachId: r.approach_id,
    partyId: r.party_id,
    subsidiary: r.subsidiary,
    channel: r.channel,
    agentId: r.agent_id,
    at: r.approached_at.toISOString(),
    ...(r.product_line !== ANY_PRODUCT_LINE ? { productLine: r.product_line } : {}),
  }));
}
