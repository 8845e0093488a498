import type { EntityManager } from 'typeorm';
import type { RecentQuote, ScopeQuote, Subsidiary } from '../domain';

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

/** Every quote of the party in one line, for judging each as of its time (quote clashes reconciled with the party's facts). */
export async function scopeQuotes(manager: EntityManager, partyId: string, productLine: string): Promise<ScopeQuote[]> {
  const rows: Array<Row & { quote_id: string; judged_on_arrival: boolean }> = await manager.query(
    `SELECT quote_id, party_id, product_line, subsidiary, channel, agent_id, quoted_at, price, judged_on_arrival FROM coordination.quote_index
     WHERE party_id = $1 AND product_line = $2 ORDER BY quoted_at, quote_id`,
    [partyId, productLine],
  );
  return rows.map((r) => ({
    quoteId: r.quote_id,
    partyId: r.party_id,
    productLine: r.product_line,
    subsidiary: r.subsidiary,
    channel: r.channel,
    agentId: r.agent_id,
    quotedAt: r.quoted_at.toISOString(),
    ...(r.price !== null ? { price: r.price } : {}),
    ...(r.judged_on_arrival ? { judgedOnArrival: true } : {}),
  }));
}
