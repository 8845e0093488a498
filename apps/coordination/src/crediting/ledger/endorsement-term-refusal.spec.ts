import { CreditContext, PaymentMode, PolicyTransaction, balancesByCreditKey, defaultRuleSet, noteRefused, replayPolicy, timelineOf } from '../domain';
import { context, record, tx } from '../domain/ledger.fixtures';
import { CreditLedgerCommand, CreditLedgerEvent, foldLedger, ledgerHistory } from './credit-ledger';
import { ledgerLines as lines, ledgerNet as net, runLedger as run } from './credit-ledger.fixtures';
import { involvedAgents } from './involved-agents';

/**
 * Whole life issued at 35,000 a month from 1 February 2026, renewed from 1 February 2027 at 456,000 a
 * year paid annually; an endorsement dated 1 June 2026 (first term, +4,000) and one dated 1 May 2027
 * (renewed term, +5,000). The rules change on 1 March 2027: the set in effect from then has no factor
 * for whole life paid one way, so it refuses an endorsement read so. One dated in the renewed term that
 * arrives before the renewal is read with the first term's mode (monthly): refused where business order
 * (annual) credits it, credited where business order refuses it. Recording the renewal must settle
 * both as business order does.
 */
interface TermFacts { id: string; start: string; end: string; amount: string; mode: PaymentMode }
const ISSUE: TermFacts = { id: 'evt-issue', start: '2026-02-01', end: '2027-01-31', amount: '35000.00', mode: 'MONTHLY' };
const RENEWAL: TermFacts = { id: 'evt-renew', start: '2027-02-01', end: '2028-01-31', amount: '456000.00', mode: 'ANNUAL' };
const E2_KEY = 'evt-e2|sales|A-1|agent|A-1';

/** v1 until 1 March 2027, then v2 without a factor for whole life paid `mode` (written before the catalogue required every mode). */
function rulesRefusing(mode: PaymentMode): CreditContext {
  const v2 = defaultRuleSet({ version: 'v2', effectiveFrom: '2027-03-01' });
  const refusing = { ...v2, standardPremiumFactors: v2.standardPremiumFactors.filter((f) => !(f.productLine === 'LIFE_WHOLE' && f.mode === mode)) };
  return context({ timeline: timelineOf(defaultRuleSet({ effectiveTo: '2027-03-01' }), refusing) });
}

const base = tx({ productSubsidiary: 'life', productLine: 'LIFE_WHOLE', sellingSubsidiary: 'life', referralId: null, policyNo: 'PL-1' });
const termTx = (t: TermFacts, kind: 'Issued' | 'Renewed'): PolicyTransaction =>
  ({ ...base, kind, transactionId: t.id, effectiveDate: t.start, expiryDate: t.end, premium: { amount: t.amount, mode: t.mode } });
/** An endorsement as the portfolio reads it with the terms it knows: the latest started by its date. */
function endorsementTx(id: string, date: string, delta: string, known: readonly TermFacts[]): PolicyTransaction {
  const term = [...known].filter((t) => t.start <= date).sort((a, b) => b.start.localeCompare(a.start))[0];
  return { ...base, kind: 'Endorsed', transactionId: id, effectiveDate: date, expiryDate: term.end, premiumDelta: delta, premium: { amount: term.amount, mode: term.mode } };
}

type Fact = 'E-1' | 'RENEW' | 'E-2';
/** The commands of one arrival order (after the issue), each endorsement read with the terms known on its arrival. */
function arriving(order: readonly Fact[], ctx: CreditContext, known: TermFacts[] = [ISSUE]): CreditLedgerCommand[] {
  return order.map((fact) => {
    if (fact === 'RENEW') {
      known.push(RENEWAL);
      return record(termTx(RENEWAL, 'Renewed'), ctx);
    }
    return record(fact === 'E-1' ? endorsementTx('evt-e1', '2026-06-01', '4000.00', known) : endorsementTx('evt-e2', '2027-05-01', '5000.00', known), ctx);
  });
}


const orders = <T>(items: T[]): T[][] =>
  items.length <= 1 ? [items] : items.flatMap((item, i) => orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
const BUSINESS: Fact[] = ['E-1', 'RENEW', 'E-2'];

/** The rules refuse whole life paid `refused` from 1 March 2027; business order credits the renewed term's endorsement `e2` (agent line, net). */
const SCENARIOS = [
  { refused: 'MONTHLY' as const, e2: '5000.00', e2Cancelled: '1672.73', what: 'refused as first read (monthly) but creditable under its term (annual)' },
  { refused: 'ANNUAL' as const, e2: undefined, e2Cancelled: undefined, what: 'credited as first read (monthly) but not creditable under its term (annual)' },
];
const cases = SCENARIOS.flatMap((s) => orders(BUSINESS).map((order) => [s.what, order.join(' → '), s, order] as const));

describe('an endorsement dated in the renewed term that the rules credit under one term\'s mode and not the other\'s', () => {
  it.each(cases)('%s: given %s after the issue, then its final credit is business order\'s, after a redelivery, a cancellation, a replay and a recalculation too', (_what, _name, scenario, order) => {
    const ctx = rulesRefusing(scenario.refused);
    const issued = run([record(termTx(ISSUE, 'Issued'), ctx)]);
    const events = run(arriving(order, ctx), issued);
    const business = run(arriving(BUSINESS, ctx), issued);
    expect(net(events)).toEqual(net(business));
    expect(net(events).get(E2_KEY)).toBe(scenario.e2);
    expect(net(events).get('evt-e1|sales|A-1|agent|A-1')).toBe('48000.00');
    // Every fact again, read with every term known: no line more.
    const redelivered = run(arriving(['E-1', 'RENEW', 'E-2'], ctx, [ISSUE]), events);
    expect(lines(redelivered.slice(events.length))).toEqual([]);
    // The history the ledger keeps replays to its balances, and a recalculation under the same rules changes nothing.
    expect(balancesByCreditKey(replayPolicy(ledgerHistory(events), ctx).lines.values())).toEqual(net(events));
    const recalculated = run([{ type: 'RecalculateCredits', data: { recalculationId: 'again', ruleSetVersion: 'v2', context: ctx } }], events);
    expect(lines(recalculated.slice(events.length))).toEqual([]);
    const cancel = record({ ...base, kind: 'Cancelled', transactionId: 'evt-cancel', effectiveDate: '2027-08-01' }, ctx);
    const cancelled = net(run([cancel], events));
    expect(cancelled).toEqual(net(run([cancel], business)));
    expect(cancelled.get(E2_KEY)).toBe(scenario.e2Cancelled);
    // No line id used twice, every adjustment names a line before it.
    const seen = new Set<string>();
    for (const line of lines(events)) {
      expect(seen.has(line.lineId)).toBe(false);
      if (line.adjustsLineId) expect(seen.has(line.adjustsLineId)).toBe(true);
      seen.add(line.lineId);
    }
  });
});

describe('the renewal settles an endorsement of its term that arrived before it, as the rules credit or refuse it under the term\'s mode', () => {
  const early = (ctx: CreditContext) => run([record(termTx(ISSUE, 'Issued'), ctx), ...arriving(['E-2'], ctx)]);
  const e2Lines = (events: readonly CreditLedgerEvent[]) => lines(events).filter((l) => l.transactionId === 'evt-e2');

  it('given it was refused as read monthly, then the ledger keeps it as refused, and the renewal credits it as paid annually after its own lines', () => {
    const ctx = rulesRefusing('MONTHLY');
    const refused = early(ctx);
    expect(refused.at(-1)).toEqual({ type: 'PolicyTransactionNotCredited', data: expect.objectContaining({ code: 'CREDIT_NO_STANDARD_PREMIUM_FACTOR' }) });
    expect([...foldLedger(refused).refused.keys()]).toEqual(['evt-e2']);
    expect(involvedAgents(noteRefused(foldLedger(refused), { ...endorsementTx('evt-e9', '2027-06-01', '1.00', [ISSUE]), productSpecialistId: 'S-9' }))).toContain('S-9');
    const renewed = run([record(termTx(RENEWAL, 'Renewed'), ctx)], refused).slice(refused.length);
    expect(renewed.map((e) => e.type)).toEqual(['CreditLinesRecorded', 'CreditLinesRecorded']);
    expect(renewed[1].data).toMatchObject({ transaction: endorsementTx('evt-e2', '2027-05-01', '5000.00', [ISSUE, RENEWAL]) });
    expect(e2Lines(renewed).find((l) => l.level === 'agent')).toMatchObject({ premium: '5000.00', weightedCredit: '5000.00', ruleSetVersion: 'v2' });
    const state = foldLedger([...refused, ...renewed]);
    expect(state.refused.size).toBe(0);
    expect(state.terms.get('evt-e2')).toEqual({ start: '2027-05-01', end: '2028-01-31' });
  });

  it('given it was credited as read monthly, then the renewal withdraws its credit with the rules\' reason, takes it out of the history and records it refused, as business order', () => {
    const ctx = rulesRefusing('ANNUAL');
    const credited = early(ctx);
    expect(e2Lines(credited).find((l) => l.level === 'agent')).toMatchObject({ weightedCredit: '60000.00' });
    const renewed = run([record(termTx(RENEWAL, 'Renewed'), ctx)], credited).slice(credited.length);
    expect(renewed.map((e) => e.type)).toEqual(['CreditLinesRecorded', 'CreditAdjusted', 'PolicyTransactionNotCredited']);
    // Business order (the renewal first) refuses it on arrival: the same refusal, word for word.
    const business = run([record(termTx(ISSUE, 'Issued'), ctx), ...arriving(['RENEW', 'E-2'], ctx)]);
    expect(renewed[2]).toEqual(business.at(-1));
    const adjusted = renewed[1] as Extract<CreditLedgerEvent, { type: 'CreditAdjusted' }>;
    const reread = endorsementTx('evt-e2', '2027-05-01', '5000.00', [ISSUE, RENEWAL]);
    expect(adjusted.data).toMatchObject({ recalculationId: 'term-evt-renew', withdrawn: [{ transaction: reread, code: 'CREDIT_NO_STANDARD_PREMIUM_FACTOR', reason: expect.stringContaining('LIFE_WHOLE/ANNUAL') }] });
    expect(adjusted.data.endorsements).toBeUndefined();
    // Each of its lines taken back in full on a line naming it, saying why; none other touched.
    expect(adjusted.data.retiredLineIds).toEqual(e2Lines(credited).map((l) => l.lineId));
    expect(adjusted.data.lines.map((l) => [l.adjustsLineId, l.weightedCredit])).toEqual(e2Lines(credited).map((l) => [l.lineId, `-${l.weightedCredit}`]));
    for (const line of adjusted.data.lines) expect(line.reason).toMatch(/^term-evt-renew: .* withdrawn, evt-e2 read against its own term \(paid ANNUAL\) is not credited: rule set v2 has no factor for life\/LIFE_WHOLE\/ANNUAL$/);
    const state = foldLedger([...credited, ...renewed]);
    expect(state.items.map((i) => (i.kind === 'transaction' ? i.transaction.transactionId : i.kind))).toEqual(['evt-issue', 'evt-renew']);
    expect(state.transactions.has('evt-e2') || state.terms.has('evt-e2')).toBe(false);
    expect(state.refused.get('evt-e2')).toEqual(reread);
  });

  it('given its credit was withdrawn, then the next renewal, in a mode the rules credit, credits it again when it is dated in that term, as business order does', () => {
    const ctx = rulesRefusing('ANNUAL');
    // Dated in a third term: read monthly on arrival, annually once the renewal is recorded, quarterly once the third term is.
    const third: TermFacts = { id: 'evt-renew-3', start: '2028-02-01', end: '2029-01-31', amount: '120000.00', mode: 'QUARTERLY' };
    const e3 = (known: TermFacts[]) => record(endorsementTx('evt-e3', '2028-05-01', '6000.00', known), ctx);
    const issued = run([record(termTx(ISSUE, 'Issued'), ctx)]);
    const events = run([e3([ISSUE]), record(termTx(RENEWAL, 'Renewed'), ctx), record(termTx(third, 'Renewed'), ctx)], issued);
    expect(events.slice(issued.length).map((e) => e.type))
      .toEqual(['CreditLinesRecorded', 'CreditLinesRecorded', 'CreditAdjusted', 'PolicyTransactionNotCredited', 'CreditLinesRecorded', 'CreditLinesRecorded']);
    const business = run([record(termTx(RENEWAL, 'Renewed'), ctx), record(termTx(third, 'Renewed'), ctx), e3([ISSUE, RENEWAL, third])], issued);
    expect(net(events)).toEqual(net(business));
    expect(net(events).get('evt-e3|sales|A-1|agent|A-1')).toBe('24000.00');
    expect(foldLedger(events).refused.size).toBe(0);
  });
});
