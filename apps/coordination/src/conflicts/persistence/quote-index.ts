import type { EntityManager } from 'typeorm';
import type { RecentQuote } from '../domain';

/** Records a quote once per activity (the key is the subsidiary's activity id). */
export async function saveQuote(manager: EntityManager, quoteId: string, quote: RecentQuote): Promise<void> {
  await manager.query(
    `INSERT INTO coordination.quote_index (quote_id, party_id, product_line, subsidiary, channel, agent_id, quoted_at, price)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (quote_id) DO NOTHING`,
    [quoteId, quote.partyId, quote.productLine, quote.subsidiary, quote.channel, quote.agentId, quote.quotedAt, quote.price ?? null],
  );
}
