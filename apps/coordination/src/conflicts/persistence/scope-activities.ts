import type { EntityManager } from 'typeorm';
import { ANY_PRODUCT_LINE, type ScopeApproach, type ScopeQuote, type Subsidiary } from '../domain';

interface Row {
  source: 'quote' | 'approach';
  id: string;
  party_id: string;
  product_line: string;
  subsidiary: Subsidiary;
  channel: string;
  agent_id: string;
  at: Date;
  /** Quotes only. */
  price: string | null;
  judged_on_arrival: boolean | null;
}

/**
 * Every quote and every other approach of the party in one scope (a line, or `*` for the approaches naming
 * none), each in its time order, for judging each as of its time: one read of both indexes.
 */
export async function scopeQuotesAndApproaches(
  manager: EntityManager, partyId: string, productLine: string,
): Promise<{ quotes: ScopeQuote[]; approaches: ScopeApproach[] }> {
  const rows: Row[] = await manager.query(
    `SELECT 'quote' AS source, quote_id AS id, party_id, product_line, subsidiary, channel, agent_id, quoted_at AS at, price, judged_on_arrival
       FROM coordination.quote_index WHERE party_id = $1 AND product_line = $2
     UNION ALL
     SELECT 'approach', approach_id, party_id, product_line, subsidiary, channel, agent_id, approached_at, NULL, NULL
       FROM coordination.approach_index WHERE party_id = $1 AND product_line = $2
     ORDER BY at, id`,
    [partyId, productLine],
  );
  return {
    quotes: rows.filter((r) => r.source === 'quote').map(toQuote),
    approaches: rows.filter((r) => r.source === 'approach').map(toApproach),
  };
}

function toQuote(r: Row): ScopeQuote {
  return {
    quoteId: r.id,
    partyId: r.party_id,
    productLine: r.product_line,
    subsidiary: r.subsidiary,
    channel: r.channel,
    agentId: r.agent_id,
    quotedAt: r.at.toISOString(),
    ...(r.price !== null ? { price: r.price } : {}),
    ...(r.judged_on_arrival ? { judgedOnArrival: true } : {}),
  };
}

function toApproach(r: Row): ScopeApproach {
  return {
    approachId: r.id,
    partyId: r.party_id,
    subsidiary: r.subsidiary,
    channel: r.channel,
    agentId: r.agent_id,
    at: r.at.toISOString(),
    ...(r.product_line !== ANY_PRODUCT_LINE ? { productLine: r.product_line } : {}),
  };
}
