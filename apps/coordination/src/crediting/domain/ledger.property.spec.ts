import fc from 'fast-check';
import { CreditContext } from './credit-lines';
import { CreditingError } from './errors';
import { decide, evolve, initialState } from './ledger.decider';
import { LedgerCommand, LedgerEvent, ledgerLines } from './ledger.events';
import { context, tx } from './ledger.fixtures';
import { PolicyCreditState } from './policy-credit-state';
import { replayPolicy } from './policy-engine';
import { historyOf } from './recompute';
import { defaultRuleSet } from './rule-set.defaults';
import { publishOnto } from './rule-timeline';
import { CreditLine } from './credit-line';
import { Dec, ZERO } from './money';

const DATES = ['2026-01-15', '2026-03-01', '2026-03-10', '2026-06-30', '2026-07-01', '2026-11-20', '2027-03-01', '2027-05-05'];
const op = fc.oneof(
  fc.record({ op: fc.constantFrom('Renewed', 'Endorsed', 'Cancelled', 'Lapsed', 'Reinstated'), date: fc.constantFrom(...DATES), amount: fc.integer({ min: -50_000, max: 500_000 }) }),
  fc.record({ op: fc.constant('Reassign'), to: fc.constantFrom('A-2', 'A-9', 'G-1') }),
  fc.record({ op: fc.constant('Dispute'), pick: fc.nat(), amount: fc.integer({ min: -10_000, max: 10_000 }) }),
  fc.record({ op: fc.constant('Publish'), from: fc.constantFrom(...DATES), weight: fc.integer({ min: 0, max: 100 }), factor: fc.integer({ min: 0, max: 150 }), dropBranch: fc.boolean() }),
);
const history = fc.record({
  first: fc.record({ mode: fc.constantFrom('ANNUAL', 'MONTHLY', 'SINGLE'), line: fc.constantFrom('HOME', 'MOTOR'), amount: fc.integer({ min: 1, max: 1_000_000 }) }),
  ops: fc.array(op, { maxLength: 14 }),
});

const money = (cents: number) => (cents / 100).toFixed(2);
type Op = fc.Arbitrary<typeof op extends fc.Arbitrary<infer T> ? T : never>;

/** Applies a command, skipping ones the domain refuses (a refusal must carry a code). */
function apply(state: PolicyCreditState, events: LedgerEvent[], command: LedgerCommand): PolicyCreditState {
  let produced: LedgerEvent[];
  try {
    produced = decide(command, state);
  } catch (error) {
    expect(error).toBeInstanceOf(CreditingError);
    return state;
  }
  events.push(...produced);
  return produced.reduce(evolve, state);
}

function commandFor(o: Op extends fc.Arbitrary<infer T> ? T : never, i: number, state: PolicyCreditState, ctx: { value: CreditContext }): LedgerCommand | null {
  const base = tx({ productLine: 'HOME' });
  switch (o.op) {
    case 'Reassign':
      // With the context every other op gets, so a reassignment arriving after later renewals re-credits them.
      return { type: 'ReassignServicing', data: { policyNo: 'PN-1', fromAgentId: 'A-1', toAgentId: o.to, effectiveDate: '2026-08-01', reason: 'test', context: ctx.value } };
    case 'Dispute': {
      const ids = [...state.lines.keys()];
      if (ids.length === 0) return null;
      return { type: 'FileDispute', data: { disputeId: `D-${i}`, lineId: ids[o.pick % ids.length], reason: 'r', filedBy: 'x', filedAt: '2026-12-01T00:00:00Z' } };
    }
    case 'Publish': {
      const set = defaultRuleSet({
        version: `v${i + 2}`, effectiveFrom: o.from, ownSaleWeight: money(o.weight), productSpecialistWeight: money(o.weight),
        crossSaleWeights: defaultRuleSet().crossSaleWeights.map((w) => ({ ...w, weight: money(o.weight) })),
        standardPremiumFactors: defaultRuleSet().standardPremiumFactors.map((f) => ({ ...f, factor: money(o.factor) })),
        salesLevels: o.dropBranch ? ['agent', 'team', 'subsidiary'] : ['agent', 'team', 'branch', 'subsidiary'],
      });
      ctx.value = { ...ctx.value, timeline: publishOnto(ctx.value.timeline, set) };
      return { type: 'RecalculateCredits', data: { recalculationId: `pub-${i}`, ruleSetVersion: set.version, context: ctx.value } };
    }
    default:
      return { type: 'RecordPolicyTransaction', data: { context: ctx.value, transaction: {
        ...base, kind: o.op, transactionId: `evt-${i}`, effectiveDate: o.date, expiryDate: '2028-01-01', premiumDelta: money(o.amount),
        premium: { amount: money(Math.abs(o.amount) + 1), mode: 'ANNUAL' }, productSpecialistId: 'SPEC-1' } } };
  }
}

const balances = (lines: Iterable<CreditLine>) => {
  const sums = new Map<string, Dec>();
  for (const l of lines) {
    for (const [field, v] of [['p', l.premium], ['s', l.standardPremium], ['w', l.weightedCredit]] as const) {
      const key = `${l.creditKey}|${field}`;
      sums.set(key, (sums.get(key) ?? ZERO).plus(v));
    }
  }
  return new Map([...sums].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toFixed(2)]));
};

// Unseeded: every run explores new histories. PROP_RUNS=20000 searches harder; a failure prints its seed
// and path, which PROP_SEED and PROP_PATH replay.
// Histories a search once found failing run first, every time.
const FOUND: Array<typeof history extends fc.Arbitrary<infer H> ? H : never> = [
  // An endorsement, then a cancellation dated before the issue (withdrawing it), then a renewal crediting it again:
  // its lines were posted again under the ids they had.
  { first: { mode: 'ANNUAL', line: 'HOME', amount: 1 }, ops: [
    { op: 'Endorsed', date: '2026-06-30', amount: 0 }, { op: 'Publish', from: '2026-01-15', weight: 0, factor: 0, dropBranch: false },
    { op: 'Cancelled', date: '2026-01-15', amount: 0 }, { op: 'Renewed', date: '2026-06-30', amount: 1 }] },
  // A cancellation placed before a renewal that a later one ended, after a dispute upheld: its clawback took the dispute's in.
  { first: { mode: 'ANNUAL', line: 'HOME', amount: 1 }, ops: [
    { op: 'Cancelled', date: '2027-05-05', amount: 0 }, { op: 'Dispute', pick: 0, amount: 2 }, { op: 'Renewed', date: '2026-07-01', amount: 0 },
    { op: 'Cancelled', date: '2026-06-30', amount: 0 }] },
  // A cancellation withdrawing an endorsement, taken out by a lapse dated before it, put back by a renewal on its day that had
  // re-credited the endorsement: the withdrawal posted again under the ids it had.
  { first: { mode: 'ANNUAL', line: 'HOME', amount: 1 }, ops: [
    { op: 'Publish', from: '2026-01-15', weight: 0, factor: 0, dropBranch: false }, { op: 'Publish', from: '2026-01-15', weight: 0, factor: 0, dropBranch: false },
    { op: 'Endorsed', date: '2027-05-05', amount: 1 }, { op: 'Cancelled', date: '2026-11-20', amount: 0 }, { op: 'Lapsed', date: '2026-01-15', amount: 0 },
    { op: 'Renewed', date: '2026-11-20', amount: 0 }] },
  // A hand-out told while the policy stood cancelled, a renewal placed before the cancellation, then the hand-out judged again
  // (A-1 to G-1, same date) placed before that renewal: the history put the earlier-told A-2 last, past the one that stands.
  { first: { mode: 'ANNUAL', line: 'HOME', amount: 1 }, ops: [
    { op: 'Cancelled', date: '2026-11-20', amount: 0 }, { op: 'Reassign', to: 'A-2' }, { op: 'Renewed', date: '2026-11-20', amount: 0 },
    { op: 'Reassign', to: 'G-1' }, { op: 'Renewed', date: '2027-05-05', amount: 0 }] },
];
describe('ledger properties over random histories', () => {
  it('ledger total = from-scratch recomputation; reversals point at existing lines; no leg counted twice', () => {
    fc.assert(fc.property(history, ({ first, ops }) => {
      const ctx = { value: context() };
      const events: LedgerEvent[] = [];
      const issue = tx({ productLine: first.line as 'HOME', premium: { amount: money(first.amount), mode: first.mode as 'ANNUAL' }, effectiveDate: '2026-03-01', expiryDate: '2028-01-01', productSpecialistId: 'SPEC-1' });
      let state = apply(initialState(), events, { type: 'RecordPolicyTransaction', data: { transaction: issue, context: ctx.value } });
      ops.forEach((o, i) => {
        const command = commandFor(o, i, state, ctx);
        if (command) state = apply(state, events, command);
        if (command?.type === 'FileDispute') {
          state = apply(state, events, { type: 'ResolveDispute', data: { disputeId: `D-${i}`, outcome: 'uphold', standardPremiumDelta: money((o as { amount: number }).amount), reason: 'r', resolvedBy: 'c', resolvedAt: '2026-12-02T00:00:00Z' } });
        }
      });
      const ledger = ledgerLines(events);
      const fromScratch = [...replayPolicy(historyOf(events), ctx.value).lines.values()];
      expect(balances(ledger)).toEqual(balances(fromScratch));
      const seen = new Set<string>();
      for (const line of ledger) {
        expect(seen.has(line.lineId)).toBe(false);
        if (line.reversesLineId) expect(seen.has(line.reversesLineId)).toBe(true);
        if (line.adjustsLineId) expect(seen.has(line.adjustsLineId)).toBe(true);
        seen.add(line.lineId);
      }
      const legs = ledger.filter((l) => l.origin === 'credit').map((l) => `${l.transactionId}|${l.side}|${l.creditedAgentId}|${l.level}|${l.beneficiaryId}`);
      expect(new Set(legs).size).toBe(legs.length);
    }), { numRuns: Number(process.env.PROP_RUNS ?? 300), examples: FOUND.map((h) => [h] as [typeof h]), ...(process.env.PROP_SEED ? { seed: Number(process.env.PROP_SEED), path: process.env.PROP_PATH, endOnFailure: true } : {}) });
  });
});
