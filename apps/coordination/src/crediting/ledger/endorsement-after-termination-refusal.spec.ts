import { CreditContext, PaymentMode, PolicyTransaction, defaultRuleSet, timelineOf } from '../domain';
import { context, record, tx } from '../domain/ledger.fixtures';
import { CreditLedgerCommand, foldLedger } from './credit-ledger';
import { ledgerNet as net, runLedger as run } from './credit-ledger.fixtures';

/**
 * Whole life issued at 35,000 a month from 1 February 2026, renewed from 1 February 2027 at 456,000 a year
 * paid annually, endorsed from 1 May 2027 (+5,000) and cancelled from 1 August 2027. From 1 March 2027 the
 * rules have no factor for whole life paid monthly. The endorsement arriving before the renewal is read with
 * the first term's mode and refused (kept as refused); when the renewal, arriving after the cancellation,
 * takes its place before it, the endorsement read with the renewal's term is credited in its place before
 * the cancellation too, and clawed back by it, as business order has it.
 */
interface TermFacts { id: string; start: string; end: string; amount: string; mode: PaymentMode }
const ISSUE: TermFacts = { id: 'evt-issue', start: '2026-02-01', end: '2027-01-31', amount: '35000.00', mode: 'MONTHLY' };
const RENEWAL: TermFacts = { id: 'evt-renew', start: '2027-02-01', end: '2028-01-31', amount: '456000.00', mode: 'ANNUAL' };

const v2 = defaultRuleSet({ version: 'v2', effectiveFrom: '2027-03-01' });
const ctx: CreditContext = context({ timeline: timelineOf(defaultRuleSet({ effectiveTo: '2027-03-01' }),
  { ...v2, standardPremiumFactors: v2.standardPremiumFactors.filter((f) => !(f.productLine === 'LIFE_WHOLE' && f.mode === 'MONTHLY')) }) });

const base = tx({ productSubsidiary: 'life', productLine: 'LIFE_WHOLE', sellingSubsidiary: 'life', referralId: null, policyNo: 'PL-1' });
const termTx = (t: TermFacts, kind: 'Issued' | 'Renewed'): PolicyTransaction =>
  ({ ...base, kind, transactionId: t.id, effectiveDate: t.start, expiryDate: t.end, premium: { amount: t.amount, mode: t.mode } });

type Fact = 'RENEW' | 'E' | 'CANCEL';
/** One arrival order's commands, the endorsement read with the latest term known when it arrives. */
function arriving(order: readonly Fact[]): CreditLedgerCommand[] {
  let term = ISSUE;
  return order.map((fact) => {
    if (fact === 'RENEW') {
      term = RENEWAL;
      return record(termTx(RENEWAL, 'Renewed'), ctx);
    }
    if (fact === 'CANCEL') return record({ ...base, kind: 'Cancelled', transactionId: 'evt-cancel', effectiveDate: '2027-08-01' }, ctx);
    return record({ ...base, kind: 'Endorsed', transactionId: 'evt-e', effectiveDate: '2027-05-01', expiryDate: term.end, premiumDelta: '5000.00',
      premium: { amount: term.amount, mode: term.mode } }, ctx);
  });
}

const issue = record(termTx(ISSUE, 'Issued'), ctx);

describe('an endorsement refused as first read, dated in a renewed term that arrives after its cancellation', () => {
  const business = run([issue, ...arriving(['RENEW', 'E', 'CANCEL'])]);

  it('is credited in business order, then clawed back pro rata by the cancellation', () => {
    expect(net(business).get('evt-e|sales|A-1|agent|A-1')).toBe('1672.73');
  });

  it.each([['RENEW', 'CANCEL', 'E'], ['CANCEL', 'RENEW', 'E'], ['E', 'CANCEL', 'RENEW'], ['CANCEL', 'E', 'RENEW'], ['E', 'RENEW', 'CANCEL']] as Fact[][])(
    'given %s, %s, %s after the issue, then the net credit is business order\'s and the policy stays cancelled', (...order) => {
      const events = run([issue, ...arriving(order)]);
      expect(net(events)).toEqual(net(business));
      expect(foldLedger(events).status).toBe('terminated');
      expect(events.filter((e) => e.type === 'PolicyTransactionNotCredited' && e.data.transaction.kind !== 'Endorsed')).toEqual([]);
    });
});
