import type { EntityManager } from 'typeorm';
import { ANY_PRODUCT_LINE, type ApproachActivity } from '../domain';

/** Records an approach once per activity (the key is the subsidiary's activity id); one naming no line is kept in the `*` scope. */
export async function saveApproach(manager: EntityManager, approachId: string, approach: ApproachActivity): Promise<void> {
  await manager.query(
    `INSERT INTO coordination.approach_index (approach_id, party_id, product_line, subsidiary, channel, agent_id, approached_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (approach_id) DO NOTHING`,
    [approachId, approach.partyId, approach.productLine ?? ANY_PRODUCT_LINE, approach.subsidiary, approach.channel, approach.agentId, approach.at],
  );
}
