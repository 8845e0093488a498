import { claimantKey } from '../conflicts.types';
import { RESOLUTION_RULE_FNS } from '../resolution/resolution-rules';
import { toMs } from '../time';
import { ExpectedConflict, ScopeFacts, factsAt } from './as-of';
import { conflictKey, detectConflicts } from './detect';
import { ConflictFacts, DEFAULT_DETECTION_CONFIG, DetectionConfig, RecentQuote } from './facts';

/**
 * Quote clashes judged by business time, like the registration and sale conflicts: each quote
 * against the other channel's quotes before it (quotes of one client in one subsidiary share a
 * partition, so this is the order they are seen in), with the facts as they stood when it was made
 * (policies issued by then, registrations holding then). A policy dated before the quote that
 * arrives after it changes what the clash's resolution reads: the clash is re-judged (superseded,
 * detected again) because the servicing relationship as of the quote is part of its natural key.
 */
export interface ScopeQuote extends RecentQuote {
  /** `<subsidiary>:<activityId>`: orders quotes of the same instant and names the clash's trigger. */
  readonly quoteId: string;
  /** Judged on arrival before quotes were reconciled: kept as a rival, never judged again. */
  readonly judgedOnArrival?: boolean;
}

const byQuotedAt = (a: ScopeQuote, b: ScopeQuote): number => toMs(a.quotedAt) - toMs(b.quotedAt) || a.quoteId.localeCompare(b.quoteId);
const strip = ({ quoteId: _id, judgedOnArrival: _judged, ...q }: ScopeQuote): RecentQuote => q;

/** The facts as they stood when `quote` was made: quotes made before it within the clash window, policies issued and registrations holding then. */
export function factsWhenQuoted(scope: ScopeFacts, quote: ScopeQuote, earlier: readonly ScopeQuote[], config: DetectionConfig): ConflictFacts {
  const at = toMs(quote.quotedAt);
  const windowMs = config.quoteClashWindowDays * 86_400_000;
  return { ...factsAt(scope, quote.quotedAt), quotes: earlier.filter((q) => at - toMs(q.quotedAt) <= windowMs).map(strip) };
}

/**
 * What the clash's resolution reads from business-time facts: the claimant the servicing
 * relationship (as of the quote) favours, if any. Part of the natural key, so a late policy that
 * changes it re-judges the clash. The party's tier is not part of it: a clash is resolved by the
 * strategic-account rule only with a precedence that puts it first, and the tier as of the quote is in its facts.
 */
function judgedBy(conflict: ExpectedConflict['conflict'], facts: ConflictFacts): string {
  const servicer = RESOLUTION_RULE_FNS['servicing-relationship'](conflict, facts);
  return `servicer:${servicer ? claimantKey(servicer) : '-'}`;
}

/** Conflicts a quote raises: a clash with another channel's quote, an approach to a top-strategic client from outside its team. */
export const QUOTE_CONFLICT_KINDS: readonly ExpectedConflict['conflict']['kind'][] = ['channel-quote-clash', 'strategic-account'];

/** Every conflict the party's quotes in this line raise, each judged as of its quote (the tier of its time included). */
export function quoteClashes(scope: ScopeFacts, config: DetectionConfig = DEFAULT_DETECTION_CONFIG): ExpectedConflict[] {
  const quotes = [...(scope.quotes ?? [])].sort(byQuotedAt);
  return quotes.flatMap((quote, i) => {
    if (quote.judgedOnArrival) return [];
    const facts = factsWhenQuoted(scope, quote, quotes.slice(0, i), config);
    const raised = detectConflicts({ kind: 'quote', quote: strip(quote) }, facts, config).filter((c) => QUOTE_CONFLICT_KINDS.includes(c.kind));
    return raised.map((conflict) => ({
      key: `${conflictKey(conflict)}|quote:${quote.quoteId}|${judgedBy(conflict, facts)}`,
      conflict,
      facts,
      productSubsidiary: quote.subsidiary,
    }));
  });
}
