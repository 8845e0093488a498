import { CreditLine, PolicyTransaction, balancesByCreditKey, defaultRuleSet, publishOnto, replayPolicy, transactionLines } from '../domain';
import { context, record, tx } from '../domain/ledger.fixtures';
import { CreditLedgerCommand, CreditLedgerEvent, decideLedger, foldLedger } from './credit-ledger';
import { ledgerLines, ledgerNet as net, runLedger as run } from './credit-ledger.fixtures';
import { permutations } from '../../../../../test/support/permutations';

/**
 * A reinstatement reported before the cancellation or lapse it undoes (issue #10): another subsidiary's
 * partition delivers it first, while the policy stands in force on its date. In business order the
 * termination claws back the unexpired part of the credit and the reinstatement re-credits it. The ledger
 * keeps the early reinstatement (ReinstatementKept, no line) and records it right after the termination
 * when that arrives, so lines, net credit, status and history are business order's. Issued March 2026
 * (to February 2027), cancelled or lapsed from 1 June 2026, reinstated from 1 July 2026.
 */
const sale = tx({ effectiveDate: '2026-03-01', expiryDate: '2027-02-28' });
const issued = run([record(sale)]);
const ending = (kind: 'Cancelled' | 'Lapsed', date = '2026-06-01') => record({ ...sale, kind, transactionId: `evt-${kind}-${date}`, effectiveDate: date });
const reinstated = (date = '2026-07-01'): PolicyTransaction => ({ ...sale, kind: 'Reinstated', transactionId: `evt-re-${date}`, effectiveDate: date });
const reinstatement = (date?: string) => record(reinstated(date));
const endorsed = (date: string): PolicyTransaction => ({ ...sale, kind: 'Endorsed', transactionId: `evt-e-${date}`, effectiveDate: date, premiumDelta: '100.00' });
const endorsement = (date: string) => record(endorsed(date));

const inOrder = (commands: CreditLedgerCommand[], from = issued): CreditLedgerEvent[] => run(commands, from);
const stateOf = foldLedger;
const historyOf = (events: CreditLedgerEvent[]) => foldLedger(events).items;
const byId = (a: CreditLine, b: CreditLine) => a.lineId.localeCompare(b.lineId);
const linesOf = (events: CreditLedgerEvent[]) => ledgerLines(events).sort(byId);
const replayed = (events: CreditLedgerEvent[]) => balancesByCreditKey(replayPolicy(historyOf(events), context()).lines.values());
const redelivered = (events: CreditLedgerEvent[], command: CreditLedgerCommand) => decideLedger(command, foldLedger(events));

describe('a reinstatement reported before the cancellation or lapse it undoes', () => {
  it.each([
    ['a cancellation', ending('Cancelled')],
    ['a lapse', ending('Lapsed')],
    ['a cancellation on the reinstatement\'s own day', ending('Cancelled', '2026-07-01')],
  ])('%s arriving after it: business order\'s lines, net credit, status and history', (_, termination) => {
    const business = inOrder([termination, reinstatement()]);
    const late = inOrder([reinstatement(), termination]);
    expect(linesOf(late)).toEqual(linesOf(business));
    expect(net(late)).toEqual(net(business));
    expect(net(late)).toEqual(net(issued));
    expect(stateOf(late).status).toBe('in-force');
    expect(historyOf(late)).toEqual(historyOf(business));
    expect(ledgerLines(late).some((l) => l.origin === 'reinstatement')).toBe(true);
  });

  it('is kept with no line, then recorded right after the termination, once', () => {
    const cancelled = ending('Cancelled');
    const kept = inOrder([reinstatement()]);
    expect(kept.slice(issued.length)).toEqual([{ type: 'ReinstatementKept', data: { transaction: reinstated() } }]);
    expect(ledgerLines(kept)).toEqual(ledgerLines(issued));
    expect(redelivered(kept, reinstatement())).toEqual([]);
    const late = inOrder([cancelled], kept);
    expect(late.slice(kept.length).map((e) => e.type)).toEqual(['CreditLinesReversed', 'CreditLinesRecorded']);
    expect(stateOf(late).keptReinstatements.size).toBe(0);
    expect(redelivered(late, reinstatement())).toEqual([]);
    expect(redelivered(late, cancelled)).toEqual([]);
    expect(net(late)).toEqual(replayed(late));
  });

  it('changes nothing while no termination before it arrives; one dated after it stands', () => {
    const kept = inOrder([reinstatement()]);
    expect(net(kept)).toEqual(net(issued));
    expect(stateOf(kept).status).toBe('in-force');
    expect(historyOf(kept)).toEqual(historyOf(issued));
    const later = ending('Cancelled', '2026-09-01');
    const cancelledAfter = inOrder([later], kept);
    expect(linesOf(cancelledAfter)).toEqual(linesOf(inOrder([later])));
    expect(stateOf(cancelledAfter).status).toBe('terminated');
  });

  it('reported after a cancellation dated after it, is kept too: it came while the policy was in force, and the cancellation stands', () => {
    const later = ending('Cancelled', '2026-09-01');
    const business = inOrder([reinstatement(), later]);
    const late = inOrder([later, reinstatement()]);
    expect(late.slice(-1)).toEqual([{ type: 'ReinstatementKept', data: { transaction: reinstated() } }]);
    expect(linesOf(late)).toEqual(linesOf(business));
    expect(stateOf(late).status).toBe('terminated');
    expect(historyOf(late)).toEqual(historyOf(business));
  });

  it('leaves a history recorded before it replayable: a reinstatement dated before the termination it reinstated then', () => {
    const cancelled = inOrder([ending('Cancelled', '2026-09-01')]);
    const reinstatedBefore: CreditLedgerEvent = { type: 'CreditLinesRecorded',
      data: { transaction: reinstated(), lines: transactionLines(reinstated(), stateOf(cancelled), context()) } };
    const recorded = [...cancelled, reinstatedBefore];
    const published = context({ timeline: publishOnto(context().timeline, defaultRuleSet({ version: 'v2', effectiveFrom: '2026-01-01',
      standardPremiumFactors: defaultRuleSet().standardPremiumFactors.map((f) => ({ ...f, factor: '0.50' })) })) });
    const recalculated = inOrder([{ type: 'RecalculateCredits', data: { recalculationId: 'pub-v2', ruleSetVersion: 'v2', context: published } }], recorded);
    expect(recalculated.length).toBeGreaterThan(recorded.length);
    expect(net(recalculated)).toEqual(balancesByCreditKey(replayPolicy(historyOf(recalculated), published).lines.values()));
  });

  it('undoes the termination it follows in business order: the earliest kept after it, the later ones kept for a later one', () => {
    const first = ending('Cancelled', '2026-05-01');
    const second = ending('Lapsed', '2026-09-01');
    const business = inOrder([first, reinstatement('2026-06-01'), second, reinstatement('2026-10-01')]);
    const late = inOrder([reinstatement('2026-10-01'), reinstatement('2026-06-01'), first, second]);
    expect(linesOf(late)).toEqual(linesOf(business));
    expect(stateOf(late).status).toBe('in-force');
  });

  /**
   * An endorsement (+100) dated after the reinstatement is credited in business order (cancellation,
   * reinstatement, endorsement); one dated between the two is refused (cancellation, endorsement,
   * reinstatement). Where the endorsement was credited before the cancellation withdrew it, its own lines
   * differ (see RELIABILITY.md). One dated between them that arrives after both is judged by the policy's
   * status on its date, terminated, and refused, whichever of the two came first.
   */
  it.each([
    ['dated after the reinstatement', '2026-08-01', 'CRE', ['CRE', 'CER', 'RCE', 'REC', 'ERC', 'ECR'], ['CRE', 'CER', 'RCE', 'REC', 'ERC']],
    ['dated between the cancellation and the reinstatement', '2026-06-15', 'CER', ['CRE', 'CER', 'RCE', 'REC', 'ERC', 'ECR'], ['CRE', 'CER', 'RCE']],
  ])('with an endorsement %s: business order\'s net credit and status in every arrival order', (_, date, businessOrder, sameNet, sameLines) => {
    const facts = { C: ending('Cancelled'), R: reinstatement(), E: endorsement(date) };
    const arriving = (order: string) => inOrder([...order].map((f) => facts[f as keyof typeof facts]));
    const business = arriving(businessOrder);
    for (const order of permutations([...'CRE']).map((o) => o.join(''))) {
      const events = arriving(order);
      expect([order, stateOf(events).status]).toEqual([order, 'in-force']);
      expect([order, net(events)]).toEqual([order, replayed(events)]);
      if (sameNet.includes(order)) expect([order, net(events)]).toEqual([order, net(business)]);
      if (sameLines.includes(order)) expect([order, linesOf(events)]).toEqual([order, linesOf(business)]);
    }
    expect(linesOf(arriving('RCE'))).toEqual(linesOf(arriving('CRE')));
  });

  /**
   * An endorsement dated between the cancellation and the reinstatement, arriving after both (the ledger in
   * force again): business order (cancellation, endorsement, reinstatement) refused it, the policy terminated,
   * and the reinstatement credits refused endorsements dated on or after it only. Refused so, with the
   * lifecycle's code and reason, whichever of the two came first; one dated on the reinstatement's day is credited.
   */
  it.each([['the cancellation', 'CRE'], ['the reinstatement', 'RCE']])('dated between them and arriving after both, %s first: refused as in business order', (_, order) => {
    const facts = { C: ending('Cancelled'), R: reinstatement(), E: endorsement('2026-06-15') };
    const arriving = (o: string) => inOrder([...o].map((f) => facts[f as keyof typeof facts]));
    const business = arriving('CER');
    const late = arriving(order);
    expect(late.slice(-1)).toEqual([{ type: 'PolicyTransactionNotCredited', data: { transaction: endorsed('2026-06-15'),
      code: 'CREDIT_POLICY_NOT_IN_FORCE', reason: 'Endorsed evt-e-2026-06-15 is not allowed while PN-1 is terminated' } }]);
    expect(late.filter((e) => e.type === 'PolicyTransactionNotCredited')).toEqual(business.filter((e) => e.type === 'PolicyTransactionNotCredited'));
    expect(linesOf(late)).toEqual(linesOf(business));
    expect(net(late)).toEqual(net(business));
    expect(historyOf(late)).toEqual(historyOf(business));
    expect([...stateOf(late).refused.keys()]).toEqual(['evt-e-2026-06-15']);
    expect(stateOf(late).status).toBe('in-force');
    const onItsDay = inOrder([...[...order.slice(0, 2)].map((f) => facts[f as keyof typeof facts]), endorsement('2026-07-01')]);
    expect(ledgerLines(onItsDay).some((l) => l.transactionId === 'evt-e-2026-07-01')).toBe(true);
  });
});

/**
 * A cancellation or lapse dated between a termination and the reinstatement that undid it, arriving after the
 * reinstatement (the ledger in force again): in business order (cancellation, lapse, reinstatement) it came
 * while the policy stood cancelled, a repeat kept with no line (a reinstatement dated between the two might
 * have followed, see TerminationRepeated), and the reinstatement undid the cancellation. Kept so, whichever of
 * the cancellation and the reinstatement came first; the policy stays in force. One dated on the reinstatement's
 * own day or after it ends the policy again.
 */
describe('a termination dated before a reinstatement that undid an earlier one, arriving after it', () => {
  const lapse = ending('Lapsed', '2026-06-15');
  const business = inOrder([ending('Cancelled'), lapse, reinstatement()]);
  const refusals = (events: CreditLedgerEvent[]) => events.filter((e) => e.type === 'PolicyTransactionNotCredited');

  it.each([
    ['the cancellation first', [ending('Cancelled'), reinstatement(), lapse]],
    ['the reinstatement first', [reinstatement(), ending('Cancelled'), lapse]],
  ])('%s: kept as a repeat, the policy in force, business order\'s lines and net credit', (_, commands) => {
    const late = inOrder(commands);
    const repeated = (events: CreditLedgerEvent[]) => events.filter((e) => e.type === 'TerminationRepeated');
    expect(repeated(business).map((e) => e.data)).toEqual([{ transaction: expect.objectContaining({ transactionId: 'evt-Lapsed-2026-06-15' }) }]);
    expect(repeated(late)).toEqual(repeated(business));
    expect(refusals(late)).toEqual([]);
    expect(refusals(business)).toEqual([]);
    expect(stateOf(late).status).toBe('in-force');
    expect(linesOf(late)).toEqual(linesOf(business));
    expect(net(late)).toEqual(net(business));
    expect(net(late)).toEqual(net(issued));
    expect(historyOf(late)).toEqual(historyOf(business));
  });

  /**
   * The lapse arriving first (the ledger lapsed from 15 June, then reinstated) and the cancellation of 1 June
   * after the reinstatement: in business order the cancellation stood and the lapse repeated it. The ledger
   * records the cancellation in the lapse's place (`termination-<id>`): in force, business order's history and
   * net credit, the cancellation's clawback and its re-credit standing, the lapse's netted to nothing.
   */
  it.each([
    ['the lapse, the reinstatement', [lapse, reinstatement(), ending('Cancelled')]],
    ['the reinstatement, the lapse', [reinstatement(), lapse, ending('Cancelled')]],
  ])('dated after the cancellation, arriving before it (%s, then the cancellation): the cancellation in its place', (_, commands) => {
    const late = inOrder(commands);
    expect(refusals(late)).toEqual([]);
    expect(late.slice(-1).map((e) => [e.type, e.type === 'CreditAdjusted' && e.data.recalculationId]))
      .toEqual([['CreditAdjusted', 'termination-evt-Cancelled-2026-06-01']]);
    expect(stateOf(late).status).toBe('in-force');
    expect(historyOf(late)).toEqual(historyOf(business));
    expect(net(late)).toEqual(net(business));
    expect(net(late)).toEqual(replayed(late));
    const standing = (events: CreditLedgerEvent[]) => linesOf(events).filter((l) => !l.lineId.includes('Lapsed') && !l.adjustsLineId);
    expect(standing(late)).toEqual(linesOf(business));
    expect(redelivered(late, ending('Cancelled'))).toEqual([]);
  });

  it('dated on the reinstatement\'s own day or after it, ends the policy again', () => {
    for (const date of ['2026-07-01', '2026-08-01']) {
      const again = inOrder([ending('Cancelled'), reinstatement(), ending('Lapsed', date)]);
      expect([date, stateOf(again).status, refusals(again)]).toEqual([date, 'terminated', []]);
    }
  });
});

/**
 * A cancellation (1 June) dated before the lapse (15 June) that terminated the ledger, arriving after it, with or
 * without the reinstatement (1 July) and an endorsement (+100) dated between them (10 June). In business order
 * the cancellation stood, the lapse repeated it, the endorsement was refused (the policy cancelled on its date)
 * and the reinstatement undid the cancellation. The ledger took the cancellation for a repeat: the lapse's
 * clawback (pro rata from 15 June) stood while the policy stood terminated, and the endorsement kept its credit.
 * It now records the cancellation in the lapse's place: net credit, status, history's transactions and the
 * endorsements standing refused are business order's in every arrival order.
 */
describe('a cancellation dated before the lapse that terminated the ledger, arriving after it', () => {
  const facts = { C: ending('Cancelled'), L: ending('Lapsed', '2026-06-15'), E: endorsement('2026-06-10'), R: reinstatement() };
  const arriving = (order: string) => inOrder([...order].map((f) => facts[f as keyof typeof facts]));
  const transactionsOf = (events: CreditLedgerEvent[]) => [...stateOf(events).transactions.keys()].sort();

  it.each(['CL', 'CEL', 'CLR', 'CELR'])('the facts %s, in every arrival order: business order\'s net credit, status, history and refusals', (businessOrder) => {
    const business = arriving(businessOrder);
    for (const order of permutations([...businessOrder]).map((o) => o.join(''))) {
      const events = arriving(order);
      expect([order, stateOf(events).status]).toEqual([order, stateOf(business).status]);
      expect([order, net(events)]).toEqual([order, net(business)]);
      expect([order, net(events)]).toEqual([order, replayed(events)]);
      expect([order, transactionsOf(events)]).toEqual([order, transactionsOf(business)]);
      expect([order, [...stateOf(events).refused.keys()]]).toEqual([order, [...stateOf(business).refused.keys()]]);
    }
  });

  it('the lapse standing, the cancellation arriving: its clawback from 1 June in the lapse\'s place, the endorsement refused', () => {
    const late = arriving('ELC');
    const adjusted = late.slice(-2);
    expect(adjusted.map((e) => e.type)).toEqual(['CreditAdjusted', 'PolicyTransactionNotCredited']);
    expect(adjusted[1].data).toEqual(expect.objectContaining({ transaction: endorsed('2026-06-10'), code: 'CREDIT_POLICY_NOT_IN_FORCE',
      reason: 'Endorsed evt-e-2026-06-10 is not allowed while PN-1 is terminated' }));
    expect(net(late)).toEqual(net(arriving('CEL')));
    expect(net(late)).not.toEqual(net(arriving('EL')));
    expect(stateOf(late).lastReversalIds).toEqual(stateOf(arriving('CEL')).lastReversalIds);
    expect(redelivered(late, facts.C)).toEqual([]);
    // Kept as the cancellation's repeat (see repeatedTerminations): told again, it changes nothing.
    expect(redelivered(late, facts.L)).toEqual([]);
  });
});
