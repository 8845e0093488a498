import Decimal from 'decimal.js';
import { Claimant, JsonValue } from '../conflicts.types';
import { DAY_MS, toMs } from '../time';
import { fromQuote } from './claimants';
import { DetectionConfig, RecentQuote } from './facts';
import { DetectionRule } from './rule';

const clashes = (a: RecentQuote, b: RecentQuote, config: DetectionConfig): boolean => {
  const ca = config.channelClasses[a.channel];
  const cb = config.channelClasses[b.channel];
  return ca !== undefined && cb !== undefined && ca !== cb;
};

// The spread is what the coordinator needs to see: direct undercutting the broker is the usual story.
function priceEvidence(claimants: readonly Claimant[]): Record<string, JsonValue> {
  const prices = claimants.filter((c) => c.price !== undefined).map((c) => new Decimal(c.price as string));
  if (prices.length < 2) return {};
  const spread = Decimal.max(...prices).minus(Decimal.min(...prices));
  return { lowestPrice: Decimal.min(...prices).toFixed(2), highestPrice: Decimal.max(...prices).toFixed(2), priceSpread: spread.toFixed(2) };
}

/** The same client quoted for the same line by a direct and an intermediary channel of one subsidiary. */
export const detectChannelQuoteClash: DetectionRule = (fact, facts, config) => {
  if (fact.kind !== 'quote') return [];
  const quote = fact.quote;
  const at = toMs(quote.quotedAt, 'quotedAt');
  const windowMs = config.quoteClashWindowDays * DAY_MS;
  const rivals = facts.quotes.filter(
    (q) =>
      q.partyId === quote.partyId &&
      q.productLine === quote.productLine &&
      q.subsidiary === quote.subsidiary &&
      clashes(q, quote, config) &&
      Math.abs(toMs(q.quotedAt) - at) <= windowMs,
  );
  if (rivals.length === 0) return [];
  const ordered = [...rivals, quote].sort((a, b) => toMs(a.quotedAt) - toMs(b.quotedAt));
  const claimants = ordered.map(fromQuote);
  return [
    {
      kind: 'channel-quote-clash',
      partyId: quote.partyId,
      productLine: quote.productLine,
      claimants,
      evidence: {
        reason: `quoted by ${[...new Set(ordered.map((q) => q.channel))].join(' and ')} of ${quote.subsidiary} within ${config.quoteClashWindowDays} days`,
        subsidiary: quote.subsidiary,
        quotedAt: ordered.map((q) => q.quotedAt),
        ...priceEvidence(claimants),
      },
    },
  ];
};
