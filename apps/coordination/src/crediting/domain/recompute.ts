import { CreditLine } from './credit-line';
import { CreditContext } from './credit-lines';
import { LedgerEvent } from './ledger.events';
import { Dec, ZERO, parseMoney } from './money';
import { PolicyHistoryItem } from './policy-credit-state';
import { replayPolicy } from './policy-engine';
import { evolve, initialState } from './ledger.decider';

/** One `credit-<policyNo>` stream's inputs, in order. */
export interface PolicyStream {
  readonly policyNo: string;
  readonly items: readonly PolicyHistoryItem[];
}

export interface LedgerTotals {
  lines: number;
  premium: Dec;
  standardPremium: Dec;
  weightedCredit: Dec;
}

export const emptyTotals = (): LedgerTotals => ({ lines: 0, premium: ZERO, standardPremium: ZERO, weightedCredit: ZERO });

export function addLine(totals: LedgerTotals, line: CreditLine): void {
  totals.lines += 1;
  totals.premium = totals.premium.plus(parseMoney(line.premium));
  totals.standardPremium = totals.standardPremium.plus(parseMoney(line.standardPremium));
  totals.weightedCredit = totals.weightedCredit.plus(parseMoney(line.weightedCredit));
}

export function totalsOf(lines: Iterable<CreditLine>): LedgerTotals {
  const totals = emptyTotals();
  for (const line of lines) addLine(totals, line);
  return totals;
}

/** The replayable inputs recorded in a policy's ledger events (what a from-scratch run starts from). */
export function historyOf(events: readonly LedgerEvent[]): PolicyHistoryItem[] {
  return [...events.reduce(evolve, initialState()).items];
}

export interface RecomputeResult {
  readonly policies: number;
  readonly items: number;
  readonly totals: LedgerTotals;
}

/**
 * From-scratch recomputation, one policy stream at a time: only one policy's state is alive at
 * once, so memory stays flat however long the history. `onLine` sees every line produced.
 */
export function recompute(streams: Iterable<PolicyStream>, ctx: CreditContext, onLine?: (line: CreditLine) => void): RecomputeResult {
  const totals = emptyTotals();
  let policies = 0;
  let items = 0;
  const sink = (line: CreditLine) => {
    addLine(totals, line);
    if (onLine) onLine(line);
  };
  for (const stream of streams) {
    policies += 1;
    items += stream.items.length;
    replayPolicy(stream.items, ctx, sink);
  }
  return { policies, items, totals };
}

/** Net amounts per credit key, for comparing a ledger with a recomputation line by line. */
export function balancesByCreditKey(lines: Iterable<CreditLine>): Map<string, string> {
  const sums = new Map<string, Dec>();
  for (const line of lines) sums.set(line.creditKey, (sums.get(line.creditKey) ?? ZERO).plus(line.weightedCredit));
  return new Map([...sums].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toFixed(2)]));
}
