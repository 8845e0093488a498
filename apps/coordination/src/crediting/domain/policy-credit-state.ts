import { CreditLine, canonicalId } from './credit-line';
import { Dec, ZERO, addOneYear, parseMoney } from './money';
import { PolicyTransaction, isTermination } from './policy-transaction';

export interface Amounts {
  readonly premium: Dec;
  readonly standardPremium: Dec;
  readonly weightedCredit: Dec;
}

/** Balance of one canonical line (the line plus everything that adjusted it). */
export interface NetEntry {
  readonly line: CreditLine;
  readonly amounts: Amounts;
}

export interface Term {
  readonly start: string;
  readonly end: string;
}

export interface ServicingOverride {
  readonly fromAgentId: string;
  readonly toAgentId: string;
}

/** What a replay needs to reproduce the ledger: every input that changed a policy's credit. */
export type PolicyHistoryItem =
  | { readonly kind: 'transaction'; readonly transaction: PolicyTransaction }
  | { readonly kind: 'reassignment'; readonly fromAgentId: string; readonly toAgentId: string; readonly effectiveDate: string }
  | { readonly kind: 'dispute-upheld'; readonly disputeId: string; readonly lineId: string; readonly standardPremiumDelta: string; readonly effectiveDate: string };

export type PolicyStatus = 'none' | 'in-force' | 'terminated';

export interface DisputeState {
  readonly disputeId: string;
  readonly lineId: string;
  readonly status: 'open' | 'upheld' | 'rejected';
}

/** State of one `credit-<policyNo>` stream. */
export interface PolicyCreditState {
  readonly policyNo: string | null;
  readonly status: PolicyStatus;
  readonly issuedOn: string | null;
  readonly items: readonly PolicyHistoryItem[];
  readonly transactions: ReadonlyMap<string, PolicyTransaction>;
  readonly terms: ReadonlyMap<string, Term>;
  readonly lines: ReadonlyMap<string, CreditLine>;
  readonly net: ReadonlyMap<string, NetEntry>;
  readonly lastReversalIds: readonly string[];
  readonly servicing: ServicingOverride | null;
  readonly disputes: ReadonlyMap<string, DisputeState>;
  /**
   * Endorsements the rules refused (no factor for the premium mode they were read with, say), as last
   * read: one read against the term before its own is tried again when its term is recorded.
   */
  readonly refused: ReadonlyMap<string, PolicyTransaction>;
  /**
   * Reinstatements reported while the policy stood in force on their date (see ReinstatementKept): the
   * cancellation or lapse each undoes may arrive after it. Recorded (and so dropped from here) when it does.
   */
  readonly keptReinstatements: ReadonlyMap<string, PolicyTransaction>;
  /**
   * Cancellations or lapses taken for repeats of an earlier one standing (see TerminationRepeated), or taken out of
   * the history when an earlier one of their span took their place (see restateTermination): a reinstatement dated
   * between the two, arriving after them, puts one back (see repeatedTerminationAfter).
   */
  readonly repeatedTerminations: ReadonlyMap<string, PolicyTransaction>;
}

export const initialPolicyState = (): PolicyCreditState => ({
  policyNo: null, status: 'none', issuedOn: null, items: [], transactions: new Map(),
  terms: new Map(), lines: new Map(), net: new Map(), lastReversalIds: [], servicing: null,
  disputes: new Map(), refused: new Map(), keptReinstatements: new Map(), repeatedTerminations: new Map(),
});

/** A writable copy, so evolve stays pure while a replay can fold in place without copying. */
export type MutablePolicyState = { -readonly [K in keyof PolicyCreditState]: PolicyCreditState[K] } & {
  items: PolicyHistoryItem[];
  transactions: Map<string, PolicyTransaction>;
  terms: Map<string, Term>;
  lines: Map<string, CreditLine>;
  net: Map<string, NetEntry>;
  disputes: Map<string, DisputeState>;
  refused: Map<string, PolicyTransaction>;
  keptReinstatements: Map<string, PolicyTransaction>;
  repeatedTerminations: Map<string, PolicyTransaction>;
};

export function cloneState(s: PolicyCreditState): MutablePolicyState {
  return {
    ...s, items: [...s.items], transactions: new Map(s.transactions), terms: new Map(s.terms), lines: new Map(s.lines),
    net: new Map(s.net), disputes: new Map(s.disputes), refused: new Map(s.refused), keptReinstatements: new Map(s.keptReinstatements),
    repeatedTerminations: new Map(s.repeatedTerminations),
  };
}

export const amountsOf = (line: CreditLine): Amounts => ({
  premium: parseMoney(line.premium), standardPremium: parseMoney(line.standardPremium), weightedCredit: parseMoney(line.weightedCredit),
});

/** Balance per credit key (credit + its adjustments, reversals, reinstatements, disputes). */
export function balancesByKey(s: PolicyCreditState): Map<string, Amounts> {
  const balances = new Map<string, Amounts>();
  for (const entry of s.net.values()) {
    const key = entry.line.creditKey;
    balances.set(key, add(balances.get(key), entry.amounts));
  }
  return balances;
}

export const add = (a: Amounts | undefined, b: Amounts): Amounts =>
  a ? { premium: a.premium.plus(b.premium), standardPremium: a.standardPremium.plus(b.standardPremium), weightedCredit: a.weightedCredit.plus(b.weightedCredit) } : b;

export const isZero = (a: Amounts): boolean => a.premium.isZero() && a.standardPremium.isZero() && a.weightedCredit.isZero();
export const ZERO_AMOUNTS: Amounts = { premium: ZERO, standardPremium: ZERO, weightedCredit: ZERO };

/** A recalculation re-prices a line: later reversals and disputes must explain it with the new terms. */
function retemplate(template: CreditLine, adjustment: CreditLine): CreditLine {
  if (adjustment.origin !== 'recalculation') return template;
  return { ...template, factor: adjustment.factor, kpiWeight: adjustment.kpiWeight, ruleSetVersion: adjustment.ruleSetVersion };
}

/**
 * A line a recalculation re-priced without moving its amounts by a cent (a weight of 0.1 on 0.01,
 * say): no ledger line is due, but a later dispute on it must be weighted under the new terms.
 */
export interface RepricedLine {
  readonly lineId: string;
  readonly factor: string;
  readonly kpiWeight: string;
  readonly ruleSetVersion: string;
}

export function applyRepricing(s: MutablePolicyState, repriced: readonly RepricedLine[] | undefined): void {
  for (const { lineId, factor, kpiWeight, ruleSetVersion } of repriced ?? []) {
    const entry = s.net.get(lineId);
    if (entry) s.net.set(lineId, { ...entry, line: { ...entry.line, factor, kpiWeight, ruleSetVersion } });
  }
}

/**
 * A ledger line a re-credit reads otherwise without posting it again: the sale it credits now converts
 * another referral (or none), or a conflict decision gave a share of its sales leg to another subsidiary,
 * while the line's amounts stay (the product side, say). `lineId` names the line as posted (a credit, a
 * reversal, or an adjustment netting into one); the read model restates it with these.
 */
export interface ReattributedLine {
  readonly lineId: string;
  readonly referralId: string | null;
  readonly crossSale: boolean;
}

/** The lines as now read (and the credits they net into, so later reversals and disputes copy it). */
export function applyReattribution(s: MutablePolicyState, reattributed: readonly ReattributedLine[] | undefined): void {
  for (const { lineId, referralId, crossSale } of reattributed ?? []) {
    const line = s.lines.get(lineId);
    if (line) s.lines.set(lineId, { ...line, referralId, crossSale });
    const entry = s.net.get(lineId);
    if (entry) s.net.set(lineId, { ...entry, line: { ...entry.line, referralId, crossSale } });
  }
}

/** Posts lines into the balances; the only way balances change. */
export function postLines(s: MutablePolicyState, lines: readonly CreditLine[]): void {
  for (const line of lines) {
    const amounts = amountsOf(line);
    const id = canonicalId(line);
    const entry = s.net.get(id);
    s.net.set(id, { line: entry ? retemplate(entry.line, line) : line, amounts: add(entry?.amounts, amounts) });
    s.lines.set(line.lineId, line);
  }
}

/**
 * A credit covers one premium year (regular pay) or the whole cover (single premium). An endorsement's
 * covers from its date to the end of the credited term it is dated in (`dated`, see termOn); dated in
 * none, its own premium year.
 */
export function termOf(tx: PolicyTransaction, dated: Term | null): Term {
  if (tx.kind === 'Endorsed' && dated) return { start: tx.effectiveDate, end: dated.end };
  if (tx.premium.mode === 'SINGLE') return { start: tx.effectiveDate, end: tx.expiryDate };
  const yearEnd = addOneYear(tx.effectiveDate);
  return { start: tx.effectiveDate, end: yearEnd < tx.expiryDate ? yearEnd : tx.expiryDate };
}

/**
 * The issue or renewal whose credited term a day falls in, by business date: the latest one started
 * by then, whichever order the transactions arrived in. Null before the first.
 */
export function termTransactionOn(s: Pick<PolicyCreditState, 'terms' | 'transactions'>, day: string): string | null {
  let found: { transactionId: string; start: string } | null = null;
  for (const [transactionId, term] of s.terms) {
    const kind = s.transactions.get(transactionId)?.kind;
    if ((kind === 'Issued' || kind === 'Renewed') && term.start <= day && (found === null || term.start > found.start)) found = { transactionId, start: term.start };
  }
  return found?.transactionId ?? null;
}

/** The credited term (an issue's or a renewal's) a day falls in (see termTransactionOn). */
export function termOn(s: Pick<PolicyCreditState, 'terms' | 'transactions'>, day: string): Term | null {
  const transactionId = termTransactionOn(s, day);
  return transactionId === null ? null : s.terms.get(transactionId) ?? null;
}

/**
 * The endorsements among `among` (by default those recorded so far) that are dated in `term`'s credited
 * term (an issue or renewal just recorded) but were read against another one: they arrived before it,
 * so the portfolio gave them the premium mode, amount and expiry of the term before. Each as business
 * order reads it: with the term's.
 */
export function endorsementsReadAgainstAnotherTerm(s: PolicyCreditState, term: PolicyTransaction,
  among: Iterable<PolicyTransaction> = s.transactions.values()): PolicyTransaction[] {
  const found: PolicyTransaction[] = [];
  for (const tx of among) {
    if (tx.kind !== 'Endorsed' || termTransactionOn(s, tx.effectiveDate) !== term.transactionId) continue;
    const same = tx.premium.amount === term.premium.amount && tx.premium.mode === term.premium.mode && tx.expiryDate === term.expiryDate;
    if (!same) found.push({ ...tx, premium: { ...term.premium }, expiryDate: term.expiryDate });
  }
  return found;
}

/** An endorsement the rules refused is kept (as read) for its term to try again; other refusals change nothing. */
export function noteRefused(state: PolicyCreditState, tx: PolicyTransaction): PolicyCreditState {
  if (tx.kind !== 'Endorsed' || state.transactions.has(tx.transactionId)) return state;
  const s = cloneState(state);
  s.refused.set(tx.transactionId, tx);
  return s;
}

/** The history with these transactions (same ids) as they now read, in their places. */
export function withTransactions(items: readonly PolicyHistoryItem[], txs: readonly PolicyTransaction[]): PolicyHistoryItem[] {
  const byId = new Map(txs.map((tx) => [tx.transactionId, tx]));
  return items.map((item) => (item.kind === 'transaction' && byId.has(item.transaction.transactionId)
    ? { kind: 'transaction', transaction: byId.get(item.transaction.transactionId)! } : item));
}

/** Transactions of the history read anew (an endorsement re-read against its term): history, transactions and terms. */
export function rereadTransactions(s: MutablePolicyState, txs: readonly PolicyTransaction[]): void {
  if (txs.length === 0) return;
  s.items = withTransactions(s.items, txs);
  for (const tx of txs) {
    s.transactions.set(tx.transactionId, tx);
    if (tx.kind === 'Endorsed' && s.terms.has(tx.transactionId)) s.terms.set(tx.transactionId, termOf(tx, termOn(s, tx.effectiveDate)));
  }
}

/**
 * Endorsements whose credit is withdrawn (read against their own term, the rules refuse them): out of
 * the history, as if never credited, which is how business order has them; kept as refused, so yet
 * another term can try them again.
 */
export function withdrawTransactions(s: MutablePolicyState, txs: readonly PolicyTransaction[]): void {
  if (txs.length === 0) return;
  const ids = new Set(txs.map((tx) => tx.transactionId));
  s.items = s.items.filter((item) => item.kind !== 'transaction' || !ids.has(item.transaction.transactionId));
  for (const tx of txs) {
    s.transactions.delete(tx.transactionId);
    s.terms.delete(tx.transactionId);
    s.refused.set(tx.transactionId, tx);
  }
}

/**
 * Each endorsement's term again from the terms known now: one that arrived before the renewal it is
 * dated after (or after a renewal, dated in an earlier term) ends with the term of its date, so a
 * later clawback reads the same term in every arrival order.
 */
function retermEndorsements(s: MutablePolicyState): void {
  for (const tx of s.transactions.values()) {
    if (tx.kind === 'Endorsed' && s.terms.has(tx.transactionId)) s.terms.set(tx.transactionId, termOf(tx, termOn(s, tx.effectiveDate)));
  }
}

/** The cancellation or lapse the policy stands terminated by: the last recorded, unless a reinstatement came after it. */
export function standingTermination(s: Pick<PolicyCreditState, 'items'>): PolicyTransaction | null {
  for (let i = s.items.length - 1; i >= 0; i--) {
    const item = s.items[i];
    if (item.kind !== 'transaction' || !['Cancelled', 'Lapsed', 'Reinstated'].includes(item.transaction.kind)) continue;
    return item.transaction.kind === 'Reinstated' ? null : item.transaction;
  }
  return null;
}

/**
 * The cancellation or lapse the policy stands terminated by on a day, by business date whatever the arrival
 * order: the latest recorded dated on or before it, unless a reinstatement dated from it to that day (on its
 * own day too) or a renewed term starting after it by then put the policy back in force. Null when in force.
 */
export function terminationOn(s: Pick<PolicyCreditState, 'transactions'>, day: string): PolicyTransaction | null {
  const recorded = [...s.transactions.values()];
  const termination = recorded.filter((t) => isTermination(t.kind) && t.effectiveDate <= day)
    .reduce<PolicyTransaction | null>((latest, t) => (latest === null || t.effectiveDate >= latest.effectiveDate ? t : latest), null);
  if (termination === null) return null;
  const from = termination.effectiveDate;
  const inForceAgain = recorded.some((t) => t.effectiveDate <= day
    && ((t.kind === 'Reinstated' && t.effectiveDate >= from) || (t.kind === 'Renewed' && t.effectiveDate > from)));
  return inForceAgain ? null : termination;
}

/**
 * The first recorded cancellation or lapse dated after a day the policy is in force on (see terminationOn), standing
 * still or undone since by a reinstatement dated on or after it. Null when there is none.
 */
function nextTermination(s: PolicyCreditState, day: string): PolicyTransaction | null {
  const recorded = [...s.transactions.values()];
  const next = recorded.filter((t) => isTermination(t.kind) && t.effectiveDate > day)
    .reduce<PolicyTransaction | null>((first, t) => (first === null || t.effectiveDate < first.effectiveDate ? t : first), null);
  if (next === null || terminationOn(s, day) !== null) return null;
  const standing = s.status === 'terminated' && standingTermination(s)?.transactionId === next.transactionId;
  const reinstated = recorded.some((t) => t.kind === 'Reinstated' && t.effectiveDate >= next.effectiveDate);
  return standing || reinstated ? next : null;
}

/** Whether one of these reinstatements dated from a day, or renewed terms starting after it, puts the policy back in force before `until`. */
const inForceBetween = (txs: Iterable<PolicyTransaction>, day: string, until: string): boolean => [...txs]
  .some((t) => (t.kind === 'Reinstated' && t.effectiveDate >= day && t.effectiveDate < until)
    || (t.kind === 'Renewed' && t.effectiveDate > day && t.effectiveDate <= until));

/**
 * The recorded cancellation or lapse that a termination dated on a day, arriving after it, comes before in one
 * terminated span: the next one (see nextTermination), with no reinstatement (recorded or kept) dated from the day,
 * nor renewed term starting after it, before it. In business order the termination arriving stood, the recorded one
 * repeated it, and the reinstatement, if any, undid it. Null when there is none.
 */
export function laterTerminationOfSpan(s: PolicyCreditState, day: string): PolicyTransaction | null {
  const next = nextTermination(s, day);
  return next === null || inForceBetween([...s.transactions.values(), ...s.keptReinstatements.values()], day, next.effectiveDate) ? null : next;
}

/**
 * The recorded cancellation or lapse (`later`, see nextTermination) that a termination dated on a day, arriving after it,
 * comes before with a kept reinstatement between them (the earliest dated from the day, before `later`), and nothing
 * recorded putting the policy back in force between them. In business order the termination arriving stood, the
 * reinstatement undid it, and `later` ended the policy again. Null when there is none.
 */
export function terminationBeforeKept(s: PolicyCreditState, day: string): { later: PolicyTransaction; reinstatement: PolicyTransaction } | null {
  const later = nextTermination(s, day);
  if (later === null || inForceBetween(s.transactions.values(), day, later.effectiveDate)) return null;
  const reinstatement = [...s.keptReinstatements.values()].filter((r) => r.effectiveDate >= day && r.effectiveDate < later.effectiveDate)
    .sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate))[0];
  return reinstatement === undefined ? null : { later, reinstatement };
}

/**
 * The history with a termination in the place of a later one of its span (see laterTerminationOfSpan), which
 * repeated it in business order, without the transactions withdrawn with it; with the reinstatement that undid it,
 * both before the later one, which stays (see terminationBeforeKept).
 */
export function withEarlierTermination(items: readonly PolicyHistoryItem[], termination: PolicyTransaction, later: PolicyTransaction,
  withdrawn: ReadonlySet<string> = new Set(), reinstatement?: PolicyTransaction): PolicyHistoryItem[] {
  const kept = items.filter((item) => item.kind !== 'transaction' || !withdrawn.has(item.transaction.transactionId));
  return reinstatement ? placedBefore(kept, [termination, reinstatement], later) : placedBefore(kept, [termination], later, true);
}

/** The history with these transactions, in order, right before `later` (in its place, `replacing`). */
export function placedBefore(items: readonly PolicyHistoryItem[], txs: readonly PolicyTransaction[], later: PolicyTransaction,
  replacing = false): PolicyHistoryItem[] {
  const placed = txs.map((transaction) => ({ kind: 'transaction', transaction } as const));
  return items.flatMap((item): PolicyHistoryItem[] => (item.kind !== 'transaction' || item.transaction.transactionId !== later.transactionId ? [item]
    : [...placed, ...(replacing ? [] : [item])]));
}

const byDate = (txs: Iterable<PolicyTransaction>): PolicyTransaction[] => [...txs].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));

/** A reinstatement and the cancellation or lapse ending the policy again after it, both before a later reinstatement. */
export interface ReinstatedBefore {
  readonly reinstatement: PolicyTransaction;
  readonly termination: PolicyTransaction;
  readonly later: PolicyTransaction;
}

/**
 * The reinstatement and termination that a reinstatement or termination arriving, with a cancellation or lapse kept as a
 * repeat or a reinstatement kept (see `repeatedTerminations`, `keptReinstatements`), puts before a recorded reinstatement
 * (`later`): the reinstatement found the policy terminated on its date, `later` is the first reinstatement recorded after
 * it (no termination recorded between them), and the termination is dated between them. In business order the
 * reinstatement undid that termination, the termination ended the policy again, and `later` undid that. Null when none.
 */
export function reinstatementBeforeRepeat(s: PolicyCreditState, tx: PolicyTransaction): ReinstatedBefore | null {
  const reinstatements = tx.kind === 'Reinstated' ? [tx] : isTermination(tx.kind) ? byDate(s.keptReinstatements.values()) : [];
  const terminations = tx.kind === 'Reinstated' ? [...s.repeatedTerminations.values()] : [tx];
  for (const reinstatement of reinstatements) {
    if (terminationOn(s, reinstatement.effectiveDate) === null) continue;
    const later = byDate([...s.transactions.values()]
      .filter((t) => t.effectiveDate > reinstatement.effectiveDate && (t.kind === 'Reinstated' || isTermination(t.kind))))[0];
    if (later?.kind !== 'Reinstated') continue;
    const termination = byDate(terminations.filter((t) => t.effectiveDate > reinstatement.effectiveDate && t.effectiveDate < later.effectiveDate))[0];
    if (termination !== undefined) return { reinstatement, termination, later };
  }
  return null;
}

/** A reinstatement and the termination kept as a repeat after it recorded before a later reinstatement (see reinstatementBeforeRepeat). */
export function placeReinstatementBefore(s: MutablePolicyState, { reinstatement, termination, later }: ReinstatedBefore): void {
  s.items = placedBefore(s.items, [reinstatement, termination], later);
  for (const t of [reinstatement, termination]) s.transactions.set(t.transactionId, t);
  s.repeatedTerminations.delete(termination.transactionId);
  s.keptReinstatements.delete(reinstatement.transactionId);
}

/**
 * A termination recorded in the place of a later one of its span, which leaves the history (see withEarlierTermination)
 * and is kept as its repeat (see `repeatedTerminations`).
 */
export function restateTermination(s: MutablePolicyState, termination: PolicyTransaction, later: PolicyTransaction): void {
  s.items = withEarlierTermination(s.items, termination, later);
  s.transactions.delete(later.transactionId);
  s.transactions.set(termination.transactionId, termination);
  s.repeatedTerminations.set(later.transactionId, later);
}

/** A termination and the kept reinstatement that undid it recorded before a later termination, which stays (see terminationBeforeKept). */
export function placeTerminationBefore(s: MutablePolicyState, termination: PolicyTransaction, reinstatement: PolicyTransaction,
  later: PolicyTransaction): void {
  s.items = withEarlierTermination(s.items, termination, later, new Set(), reinstatement);
  for (const t of [termination, reinstatement]) s.transactions.set(t.transactionId, t);
  s.keptReinstatements.delete(reinstatement.transactionId);
}

/**
 * Whether a renewed term starts after a day. A renewed term starts in force, as the portfolio has it
 * (`inForceOn`): a cancellation or lapse dated before its start ends the earlier term only, so the
 * policy is in force again from it, whichever of the two arrived first.
 */
export const renewedAfter = (s: Pick<PolicyCreditState, 'transactions'>, day: string): boolean =>
  [...s.transactions.values()].some((t) => t.kind === 'Renewed' && t.effectiveDate > day);

/**
 * Whether a cancellation or lapse arriving while the policy stands terminated ends a term before a renewed one: the
 * policy was in force on its date (see terminationOn) and a renewed term recorded starts after it, so the standing
 * termination, dated in that term or after, ended it again. In business order it came before both and clawed back
 * its own term's credit (see late-arrivals' recordInEarlierTerm).
 */
export const endsEarlierTerm = (s: PolicyCreditState, tx: PolicyTransaction): boolean => isTermination(tx.kind) && s.status === 'terminated'
  && renewedAfter(s, tx.effectiveDate) && terminationOn(s, tx.effectiveDate) === null;

/**
 * Records a transaction's effect on the lifecycle (status, term) after its lines were posted, at `at` in the
 * history (by default last). One placed before a termination already recorded (a late renewal or endorsement, see
 * late-placement, or a termination of an earlier term, see endsEarlierTerm) leaves the policy as that termination left it.
 */
export function recordTransaction(s: MutablePolicyState, tx: PolicyTransaction, lines: readonly CreditLine[], at = s.items.length): void {
  const last = at === s.items.length;
  s.policyNo = tx.policyNo;
  s.items.splice(at, 0, { kind: 'transaction', transaction: tx });
  s.transactions.set(tx.transactionId, tx);
  s.refused.delete(tx.transactionId);
  s.keptReinstatements.delete(tx.transactionId);
  s.repeatedTerminations.delete(tx.transactionId);
  postLines(s, lines);
  switch (tx.kind) {
    case 'Issued':
    case 'Renewed':
    case 'Endorsed': {
      const term = termOf(tx, tx.kind === 'Endorsed' ? termOn(s, tx.effectiveDate) : null);
      s.terms.set(tx.transactionId, term);
      if (tx.kind !== 'Endorsed') retermEndorsements(s);
      if (tx.kind === 'Issued') s.issuedOn = tx.effectiveDate;
      if (last) s.status = 'in-force';
      return;
    }
    case 'Cancelled':
    case 'Lapsed':
      if (!last) return;
      s.status = renewedAfter(s, tx.effectiveDate) ? 'in-force' : 'terminated';
      // A clawback posted again under ids of its own (see recreditedBy) adjusts the lines a reinstatement undoes.
      s.lastReversalIds = lines.map(canonicalId);
      return;
    case 'Reinstated':
      s.status = 'in-force';
      s.lastReversalIds = [];
      return;
  }
}

type Reassignment = Extract<PolicyHistoryItem, { kind: 'reassignment' }>;

/**
 * Where a reassignment belongs in the history: before the renewals effective after it (they arrived
 * first, from another partition, but renewal credit follows the servicing agent of their date).
 */
export function reassignmentIndex(items: readonly PolicyHistoryItem[], item: Reassignment): number {
  const later = items.findIndex((i) => i.kind === 'transaction' && i.transaction.kind === 'Renewed' && i.transaction.effectiveDate > item.effectiveDate);
  return later === -1 ? items.length : later;
}

/**
 * The history with a reassignment told in business order in its place (see reassignmentIndex). The same leaver's
 * reassignments dated on or before it that stand past that place (told while the policy stood terminated, then passed by a
 * renewal placed before the termination, or told without a context) move there, before it: in business order they came
 * first, and it, told later, supersedes their hand-out, as the ledger's servicer has it.
 */
export function withReassignment(items: readonly PolicyHistoryItem[], item: Reassignment): PolicyHistoryItem[] {
  const at = reassignmentIndex(items, item);
  const superseded = (i: PolicyHistoryItem): boolean => i.kind === 'reassignment' && i.fromAgentId === item.fromAgentId
    && i.effectiveDate <= item.effectiveDate;
  const after = items.slice(at);
  return [...items.slice(0, at), ...after.filter(superseded), item, ...after.filter((i) => !superseded(i))];
}
