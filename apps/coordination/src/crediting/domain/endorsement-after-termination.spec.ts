import { CreditLine } from './credit-line';
import { evolve, initialState } from './ledger.decider';
import { LedgerCommand, LedgerEvent, ledgerLines } from './ledger.events';
import { context, given, record, run, tx } from './ledger.fixtures';
import { replayPolicy } from './policy-engine';
import { balancesByCreditKey, historyOf } from './recompute';

/**
 * An endorsement dated in a term (the or a renewal's) that arrives after a cancellation or lapse
 * of that term: in business order it is credited, and the termination then claws back its unexpired part
 * pro rata, as it does the term's own credit. Arriving late, it takes that place in the history (as a late
 * renewal does), so lines, net credit and status are business order's. Issued March 2026, renewed from
 * 1 March 2027; the endorsement dated 1 April 2027 raises the premium by 100.
 */
const sale = tx({ effectiveDate: '2026-03-01', expiryDate: '2027-02-28' });
const issued = run([record(sale)]);
const renewal = record({ ...sale, kind: 'Renewed', transactionId: 'evt-r', effectiveDate: '2027-03-01', expiryDate: '2028-02-29' });
const endorsement = (date: string, id = `evt-e-${date}`) =>
  record({ ...sale, kind: 'Endorsed', transactionId: id, effectiveDate: date, premiumDelta: '100.00', expiryDate: date < '2027-03-01' ? sale.expiryDate : '2028-02-29' });
const ending = (kind: 'Cancelled' | 'Lapsed', date: string) => record({ ...sale, kind, transactionId: `evt-${kind}-${date}`, effectiveDate: date });
const reinstatement = (date: string) => record({ ...sale, kind: 'Reinstated', transactionId: `evt-re-${date}`, effectiveDate: date });

const inOrder = (commands: LedgerCommand[], from = issued): LedgerEvent[] => run(commands, from);
const net = (events: LedgerEvent[]) => balancesByCreditKey(ledgerLines(events));
const stateOf = (events: LedgerEvent[]) => events.reduce(evolve, initialState());
const byId = (a: CreditLine, b: CreditLine) => a.lineId.localeCompare(b.lineId);
const linesOf = (events: LedgerEvent[]) => ledgerLines(events).sort(byId);
const agentKey = (date: string) => `evt-e-${date}|sales|A-1|agent|A-1`;

describe('an endorsement arriving after a cancellation or lapse dated after it in its term', () => {
  const renewed = inOrder([renewal]);
  const endorsed = endorsement('2027-04-01');

  it.each([
    ['a cancellation in the renewed term', ending('Cancelled', '2027-06-01'), 'pro rata: 273/334'],
    ['a lapse in the renewed term', ending('Lapsed', '2027-09-01'), 'pro rata: 181/334'],
    ["a cancellation on the endorsement's own day", ending('Cancelled', '2027-04-01'), 'pro rata: 334/334'],
  ])('%s: the same lines, net credit, status and history whichever arrives first', (_, termination, fraction) => {
    const business = inOrder([endorsed, termination], renewed);
    const late = inOrder([termination, endorsed], renewed);
    expect(linesOf(late)).toEqual(linesOf(business));
    expect(net(late)).toEqual(net(business));
    const clawback = ledgerLines(late).find((l) => l.reversesLineId === agentKey('2027-04-01'));
    expect(clawback).toMatchObject({ origin: 'reversal' });
    expect(clawback!.reason).toContain(fraction);
    expect(stateOf(late).status).toBe('terminated');
    expect(historyOf(late)).toEqual(historyOf(business));
    expect(late.filter((e) => e.type === 'CreditLinesRecorded' && e.data.transaction.transactionId === 'evt-e-2027-04-01')).toHaveLength(1);
  });

  it('in the first term too, with no renewal', () => {
    const first = endorsement('2026-05-01');
    const cancelled = ending('Cancelled', '2026-09-01');
    const late = inOrder([cancelled, first]);
    expect(linesOf(late)).toEqual(linesOf(inOrder([first, cancelled])));
    expect(Number(net(late).get(agentKey('2026-05-01')))).toBeGreaterThan(0);
  });

  it('records the late endorsement in its place, then what the termination claws back of it', () => {
    const late = inOrder([ending('Cancelled', '2027-06-01'), endorsed], renewed);
    const added = late.slice(renewed.length + 1);
    expect(added.map((e) => e.type)).toEqual(['CreditLinesRecorded', 'CreditAdjusted']);
    expect(added[0].data).toMatchObject({ inBusinessOrder: true });
  });

  it('equals a from-scratch replay of its history', () => {
    const late = inOrder([ending('Cancelled', '2027-06-01'), endorsed], renewed);
    expect(net(late)).toEqual(balancesByCreditKey(replayPolicy(historyOf(late), context()).lines.values()));
  });

  it('credits nothing twice: the endorsement or the termination delivered again changes nothing', () => {
    const cancelled = ending('Cancelled', '2027-06-01');
    const late = inOrder([cancelled, endorsed], renewed);
    given(late).when(endorsed).then([]);
    given(late).when(cancelled).then([]);
    const ids = ledgerLines(late).map((l) => l.lineId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lets a later reinstatement re-credit what the termination clawed back, as in business order', () => {
    const cancelled = ending('Cancelled', '2027-06-01');
    const reinstated = reinstatement('2027-07-01');
    const business = inOrder([endorsed, cancelled, reinstated], renewed);
    const late = inOrder([cancelled, endorsed, reinstated], renewed);
    expect(linesOf(late)).toEqual(linesOf(business));
    expect(stateOf(late).status).toBe('in-force');
    // Arriving after the reinstatement it is credited where it arrives: the same net credit.
    expect(net(inOrder([cancelled, reinstated, endorsed], renewed))).toEqual(net(business));
  });

  it('in every arrival order of the renewal, the endorsement and the cancellation, nets business order\'s credit', () => {
    const cancelled = ending('Cancelled', '2027-06-01');
    const business = inOrder([renewal, endorsed, cancelled]);
    const facts = { R: renewal, E: endorsed, C: cancelled };
    for (const order of ['REC', 'RCE', 'ERC', 'ECR', 'CRE', 'CER']) {
      const events = inOrder([...order].map((f) => facts[f as keyof typeof facts]));
      expect([order, net(events)]).toEqual([order, net(business)]);
      expect([order, stateOf(events).status]).toEqual([order, 'terminated']);
    }
    expect(net(business).get(agentKey('2027-04-01'))).toBeDefined();
  });

  it('still refuses an endorsement dated after the termination, or while the policy stood cancelled before a reinstatement', () => {
    given(inOrder([ending('Cancelled', '2027-06-01')], renewed)).when(endorsement('2027-07-01')).thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
    const reinstatedThenLapsed = inOrder([ending('Cancelled', '2026-05-01'), reinstatement('2026-07-01'), ending('Lapsed', '2026-10-01')]);
    given(reinstatedThenLapsed).when(endorsement('2026-06-01')).thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
    // Dated after the reinstatement, before the lapse: credited in its place and clawed back by the lapse.
    const late = inOrder([endorsement('2026-08-01')], reinstatedThenLapsed);
    const business = inOrder([ending('Cancelled', '2026-05-01'), reinstatement('2026-07-01'), endorsement('2026-08-01'), ending('Lapsed', '2026-10-01')]);
    expect(linesOf(late)).toEqual(linesOf(business));
  });
});

/**
 * An endorsement dated after a cancellation or lapse that arrives before it: in business order the
 * termination comes first and the endorsement is refused (the policy is not in force on its date).
 * Credited where it arrived, its credit is withdrawn when the termination comes, so the ledger nets
 * business order's credit, the termination posts business order's lines, and the endorsement stands
 * refused as there.
 */
describe('an endorsement dated after a cancellation or lapse that arrives before it', () => {
  const renewed = inOrder([renewal]);
  const endorsed = endorsement('2027-07-01');
  const ownLines = (events: LedgerEvent[]) => linesOf(events).filter((l) => !l.creditKey.startsWith('evt-e-2027-07-01|'));

  it.each([
    ['a cancellation', ending('Cancelled', '2027-06-01')],
    ['a lapse', ending('Lapsed', '2027-06-01')],
  ])('%s arriving after it: the endorsement\'s credit withdrawn, the rest as in business order', (_, termination) => {
    const business = inOrder([termination], renewed);
    given(business).when(endorsed).thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
    const late = inOrder([endorsed, termination], renewed);
    expect(net(late)).toEqual(net(business));
    expect(ownLines(late)).toEqual(linesOf(business));
    expect(stateOf(late).status).toBe('terminated');
    expect(historyOf(late)).toEqual(historyOf(business));
    expect([...stateOf(late).refused.keys()]).toEqual(['evt-e-2027-07-01']);
  });

  it('withdraws it as a recalculation before the termination is recorded, once', () => {
    const cancelled = ending('Cancelled', '2027-06-01');
    const late = inOrder([endorsed, cancelled], renewed);
    const added = late.slice(renewed.length + 1);
    expect(added.map((e) => e.type)).toEqual(['CreditAdjusted', 'CreditLinesReversed']);
    expect(added[0].data).toMatchObject({ recalculationId: 'termination-evt-Cancelled-2027-06-01' });
    given(late).when(cancelled).then([]);
    given(late).when(endorsed).thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
    expect(net(late)).toEqual(balancesByCreditKey(replayPolicy(historyOf(late), context()).lines.values()));
  });

  it('keeps an endorsement dated in a renewed term that starts after the termination', () => {
    const cancelled = ending('Cancelled', '2026-09-01');
    const inRenewedTerm = endorsement('2027-04-01');
    const business = inOrder([cancelled, renewal, inRenewedTerm]);
    const late = inOrder([renewal, inRenewedTerm, cancelled]);
    expect(net(late)).toEqual(net(business));
    expect(net(late).get(agentKey('2027-04-01'))).toBeDefined();
  });
});

describe('an endorsement withdrawn by a termination dated before it, then a reinstatement dated before it', () => {
  it('is credited again when the reinstatement arrives, as in business order (termination, reinstatement, endorsement)', () => {
    const cancelled = ending('Cancelled', '2026-06-01');
    const reinstated = reinstatement('2026-06-15');
    const endorsed = endorsement('2026-07-01');
    const business = inOrder([cancelled, reinstated, endorsed]);
    const late = inOrder([endorsed, cancelled, reinstated]);
    expect(net(late)).toEqual(net(business));
    expect(stateOf(late).status).toBe('in-force');
    expect(historyOf(late)).toEqual(historyOf(business));
    given(late).when(reinstated).then([]);
    given(late).when(endorsed).then([]);
    const ids = ledgerLines(late).map((l) => l.lineId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(net(late)).toEqual(balancesByCreditKey(replayPolicy(historyOf(late), context()).lines.values()));
  });
});
