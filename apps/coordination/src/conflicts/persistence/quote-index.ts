import type { EntityManager } from 'typeorm';
import { DAY_MS } from '../domain/time';
import type { RecentQuote, Subsidiary } from '../domain';

interface Row {
  party_id: string;
  product_line: string;
  subsidiary: Subsidiary;
  channel: string;
  agent_id: string;
  quoted_at: Date;
  price: string | null;
}

/** Records a quote once per activity (the key is the subsidiary's activity id). */
export async function saveQuote(manager: EntityManager, quoteId: string, quote: RecentQuote): Promise<void> {
  await manager.query(
    `INSERT INTO coordination.quote_index (quote_id, party_id, product_line, subsidiary, channel, agent_id, quoted_at, price)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (quote_id) DO NOTHING`,
    [quoteId, quote.partyId, quote.productLine, quote.subsidiary, quote.channel, quote.agentId, quote.quotedAt, quote.price ?? null],
  );
}

/** Quotes for the party and line within `days` either side of `around`: the ones a new quote can clash with. */
export async function quotesAround(
  manager: EntityManager, partyId: string, productLine: string, around: string, days: number, excludeQuoteId?: string,
): Promise<RecentQuote[]> {
  const at = Date.parse(around);
  const rows: Row[] = await manager.query(
    `SELECT party_id, product_line, subsidiary, channel, agent_id, quoted_at, price FROM coordination.quote_index
     WHERE party_id = $1 AND product_line = $2 AND quoted_at BETWEEN $3 AND $4 AND quote_id IS DISTINCT FROM $5
     ORDER BY quoted_at, quote_id`,
    [partyId, productLine, new Date(at - days * DAY_MS), new Date(at + days * DAY_MS), excludeQuoteId ?? null],
  );
  return rows.map((r) => ({
    partyId: r.party_id,
    productLine: r.product_line,
    subsidiary: r.subsidiary,
    channel: r.channel,
    agentId: r.agent_id,
    quotedAt: r.quoted_at.toISOString(),
    ...(r.price !== null ? { price: r.price } : {}),
  }));
}
