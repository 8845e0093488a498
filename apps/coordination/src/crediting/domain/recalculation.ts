import { CreditLine, canonicalId } from './credit-line';
import { CreditContext } from './credit-lines';
import { fmt } from './money';
import { Amounts, NetEntry, PolicyCreditState, ReattributedLine, RepricedLine, ZERO_AMOUNTS, isZero } from './policy-credit-state';
import { replayPolicy } from './policy-engine';

const minus = (a: Amounts, b: Amounts): Amounts => ({
  premium: a.premium.minus(b.premium),
  standardPremium: a.standardPremium.minus(b.standardPremium),
  weightedCredit: a.weightedCredit.minus(b.weightedCredit),
});

export interface Recalculation {
  readonly lines: CreditLine[];
  /** The reversal lines a later reinstatement must undo, as the replay sees them. */
  readonly reversalLineIds: readonly string[];
  /** Lines the new rules no longer produce (their balance is now zero): nothing may net into them. */
  readonly retiredLineIds: readonly string[];
  /** Lines whose terms changed while their amounts did not (no line is posted for them). */
  readonly repriced: readonly RepricedLine[];
  /**
   * Lines posted before whose credit the replay reads with another referral or cross-sale (each line
   * netting into it, as posted), and, when the sale's selling subsidiary changed, every product-side line
   * still standing: the read model restates them (see ReattributedLine).
   */
  readonly reattributed: readonly ReattributedLine[];
}

/** The terms a later dispute reads from a line: changed terms with unchanged amounts still count. */
function repricing(id: string, desired: NetEntry, current: NetEntry | undefined): RepricedLine | null {
  if (!current) return null;
  const { factor, kpiWeight, ruleSetVersion } = desired.line;
  if (factor === current.line.factor && kpiWeight === current.line.kpiWeight) return null;
  return { lineId: id, factor, kpiWeight, ruleSetVersion };
}

function adjustment(id: string, desired: NetEntry | undefined, current: NetEntry | undefined, state: PolicyCreditState,
  recalculationId: string): CreditLine | null {
  const delta = minus(desired?.amounts ?? ZERO_AMOUNTS, current?.amounts ?? ZERO_AMOUNTS);
  if (isZero(delta)) return null;
  const template = (desired ?? current)!.line;
  // A line that never existed (a newly credited level, say) is created under its own id so later
  // reversals can point at it; an existing one is adjusted by a line that names it.
  const exists = state.lines.has(id);
  return {
    ...template,
    lineId: exists ? `${id}~${recalculationId}` : id,
    origin: 'recalculation',
    adjustsLineId: exists ? id : undefined,
    premium: fmt(delta.premium),
    standardPremium: fmt(delta.standardPremium),
    weightedCredit: fmt(delta.weightedCredit),
    reason: `recalculation ${recalculationId}: ${id} re-priced under rule set ${template.ruleSetVersion}, delta ${fmt(delta.weightedCredit)} weighted`,
  };
}

/**
 * A line the replay posts that the ledger never had, as the replay posts it: its own line whole (a
 * reversal says what it reverses and by what fraction), not a re-pricing of nothing.
 */
const replayedWhole = (id: string, desired: PolicyCreditState, state: PolicyCreditState): CreditLine | null =>
  (state.lines.has(id) ? null : desired.lines.get(id) ?? null);

/**
 * Retroactive re-pricing of one policy: replay its history under the new timeline and post the
 * difference per line. History is never edited, so ledger total = replay total afterwards. With
 * `only`, just the credits of the transactions it accepts are re-priced (with their reversals,
 * reinstatements and disputes): the ledger equals the replay for those, the rest is left as it is.
 * With `asReplayed`, for a fact the ledger missed (the clawback of a late renewal or endorsement by a
 * termination recorded before it), lines the ledger never had are posted as the replay posts them (see
 * replayedWhole).
 */
export function recalculate(state: PolicyCreditState, ctx: CreditContext, recalculationId: string,
  only?: (transactionId: string) => boolean, asReplayed = false): Recalculation {
  const desired = replayPolicy(state.items, ctx);
  // A credit key is its credit line's id; that line names the transaction credited.
  const inScope = (entry: NetEntry): boolean => {
    if (!only) return true;
    const credit = desired.lines.get(entry.line.creditKey) ?? state.lines.get(entry.line.creditKey);
    return credit !== undefined && only(credit.transactionId);
  };
  const lines: CreditLine[] = [];
  const repriced: RepricedLine[] = [];
  for (const [id, entry] of desired.net) {
    if (!inScope(entry)) continue;
    const line = (asReplayed ? replayedWhole(id, desired, state) : null) ?? adjustment(id, entry, state.net.get(id), state, recalculationId);
    if (line) lines.push(line);
    const terms = line ? null : repricing(id, entry, state.net.get(id));
    if (terms) repriced.push(terms);
  }
  const retiredLineIds: string[] = [];
  for (const [id, entry] of state.net) {
    if (desired.net.has(id) || !inScope(entry)) continue;
    retiredLineIds.push(id);
    const line = adjustment(id, undefined, entry, state, recalculationId);
    if (line) lines.push(line);
  }
  return { lines, reversalLineIds: desired.lastReversalIds, retiredLineIds, repriced, reattributed: reattribution(state, desired, inScope) };
}

const sellingSubsidiaryOf = (s: Pick<PolicyCreditState, 'transactions'>): string | undefined =>
  [...s.transactions.values()].find((t) => t.kind === 'Issued')?.sellingSubsidiary;

/**
 * The lines posted so far that the replay reads otherwise, with how it reads them: a line whose credit
 * the replay keeps (its net entry) with another referral or cross-sale. A sale relinked to another
 * referrer also moves the selling subsidiary every product-side line is attributed to (the read model
 * takes it from the sale), so those are listed too when it changed. Lines the replay retires net to zero
 * as they were and are left alone.
 */
function reattribution(state: PolicyCreditState, desired: PolicyCreditState, inScope: (entry: NetEntry) => boolean): ReattributedLine[] {
  const resold = sellingSubsidiaryOf(state) !== sellingSubsidiaryOf(desired);
  const found: ReattributedLine[] = [];
  for (const line of state.lines.values()) {
    const entry = desired.net.get(canonicalId(line));
    if (!entry || !inScope(entry)) continue;
    const { referralId, crossSale } = entry.line;
    if (line.referralId === referralId && line.crossSale === crossSale && !(resold && line.side === 'product')) continue;
    found.push({ lineId: line.lineId, referralId, crossSale });
  }
  return found;
}

/** The optional `reattributed` field, left out when empty so events stay as they were before it existed. */
export const reattributedField = (reattributed: readonly ReattributedLine[]): { reattributed?: readonly ReattributedLine[] } =>
  (reattributed.length > 0 ? { reattributed } : {});

/** Whether a recalculation has anything to record: a line, a retired line or new terms on one. */
export const changes = (r: Pick<Recalculation, 'lines' | 'retiredLineIds' | 'repriced'>): boolean =>
  r.lines.length > 0 || r.retiredLineIds.length > 0 || r.repriced.length > 0;

/** The optional `repriced` field, left out when empty so events stay as they were before it existed. */
export const repricedField = (repriced: readonly RepricedLine[]): { repriced?: readonly RepricedLine[] } =>
  (repriced.length > 0 ? { repriced } : {});
