import { buildHierarchy } from '../domain';
import { AGENT_FACTS, context, record, tx } from '../domain/ledger.fixtures';
import { attributionOf } from '../ledger/attribution';
import { CreditLedgerEvent, decideLedger, foldLedger, evolveLedger } from '../ledger/credit-ledger';
import { creditLineRows, restatedRows } from './credit-line.row';

const meta = { globalPosition: '0000000001-0000000001', recordedAt: new Date('2026-03-01T02:00:00Z') };
const sale = tx({ productSpecialistId: 'P-1' });
const [recorded] = decideLedger(record(sale), foldLedger([]));
const withAttribution = (event: typeof recorded) => ({ ...event, data: { ...event.data, attribution: attributionOf([...('lines' in event.data ? event.data.lines : [])], buildHierarchy(AGENT_FACTS), sale) } }) as unknown as typeof recorded;

describe('credit_lines rows', () => {
  const rows = creditLineRows(withAttribution(recorded), meta);

  it('gives every line the subsidiary, team and branch its beneficiary stood in on the effective date', () => {
    expect(rows.map((r) => [r.side, r.level, r.beneficiary_id, r.subsidiary, r.team_id, r.branch_id])).toEqual([
      ['sales', 'agent', 'A-1', 'life', 'T1', 'B1'],
      ['sales', 'team', 'T1', 'life', 'T1', 'B1'],
      ['sales', 'branch', 'B1', 'life', 'T1', 'B1'],
      ['sales', 'subsidiary', 'life', 'life', 'T1', 'B1'],
      ['product', 'subsidiary', 'pnc', 'pnc', null, null],
      ['product', 'specialist', 'P-1', 'pnc', 'PT1', 'PB1'],
    ]);
  });

  it('keeps the amounts, the policy and when it counts', () => {
    expect(rows[0]).toMatchObject({
      kind: 'credit', cross_sale: true, selling_subsidiary: 'life', product_subsidiary: 'pnc', product_line: 'HOME', policy_no: 'PN-1',
      premium: '1000.00', standard_premium: '1000.00', kpi_weight: '0.1000', weighted_credit: '100.00', effective_date: '2026-03-01',
      period: '2026-03', event_position: meta.globalPosition, line_index: 0, reverses_line_id: null,
    });
  });

  it('marks a clawback as a reversal pointing at the line it reverses', () => {
    const state = evolveLedger(foldLedger([]), recorded);
    const [reversed] = decideLedger(record({ ...sale, kind: 'Cancelled', transactionId: 'evt-2', effectiveDate: '2026-03-01' }, context()), state);
    const [first] = creditLineRows(withAttribution(reversed), meta);
    expect(first).toMatchObject({ kind: 'reversal', origin: 'reversal', reverses_line_id: 'evt-1|sales|A-1|agent|A-1', weighted_credit: '-100.00', subsidiary: 'life' });
  });
});

describe('credit_lines rows a re-credit restates', () => {
  const own = tx({ sellingAgentId: 'P-1', servicingAgentId: 'P-1', sellingSubsidiary: 'pnc', referralId: null });
  const [issued] = decideLedger(record(own), foldLedger([]));
  const referral = { referralId: 'R-7', referrer: { subsidiary: 'life', agentId: 'A-1', channel: 'AGENCY' } };
  const seller = { agentId: 'P-1', subsidiary: 'pnc', channel: 'AGENCY', namedReferralId: null };
  const [linked] = decideLedger({ type: 'ApplyReferralLink', data: { referral, seller, context: context() } }, foldLedger([issued]));

  it('names the lines a relink reads otherwise, with the referral, cross-sale and the selling subsidiary of the sale as relinked', () => {
    const attribution = attributionOf([], buildHierarchy(AGENT_FACTS), (linked.data as { transaction: typeof own }).transaction);
    const attributed = { ...linked, data: { ...linked.data, attribution } } as unknown as CreditLedgerEvent;
    expect(restatedRows(attributed)).toEqual({ line_ids: ['evt-1|product|subsidiary|pnc'], referral_ids: ['R-7'], cross_sales: [true], selling_subsidiary: 'life' });
    // Stored without attribution (no line of its own): the relinked issue it carries says who sells.
    expect(restatedRows(linked)).toMatchObject({ selling_subsidiary: 'life' });
  });

  it('restates nothing for an event that reads no line otherwise', () => {
    expect(restatedRows(issued)).toBeNull();
    expect(restatedRows({ ...linked, data: { ...linked.data, reattributed: undefined } } as CreditLedgerEvent)).toBeNull();
  });
});
