import { CreditLine } from './credit-line';
import { LedgerEvent } from './ledger.events';
import { context, given, record, tx } from './ledger.fixtures';
import { PolicyTransaction } from './policy-transaction';

const linesIn = (events: LedgerEvent[]): readonly CreditLine[] => {
  expect(events).toHaveLength(1);
  expect(events[0].type).toBe('CreditLinesRecorded');
  return (events[0] as Extract<LedgerEvent, { type: 'CreditLinesRecorded' }>).data.lines;
};
const pick = (lines: readonly CreditLine[], side: string, level: string) => lines.filter((l) => l.side === side && l.level === level);

describe('dual-side credit for a policy transaction', () => {
  describe('seed cross-sale weights (Ping An)', () => {
    const cases: [string, Partial<PolicyTransaction>, string, string][] = [
      ['life agency selling P&C', { sellingAgentId: 'A-1', sellingSubsidiary: 'life', channel: 'AGENCY', productSubsidiary: 'pnc', productLine: 'HOME' }, '0.1000', '100.00'],
      ['life agency selling group', { sellingAgentId: 'A-1', sellingSubsidiary: 'life', channel: 'AGENCY', productSubsidiary: 'group', productLine: 'GROUP_ACCIDENT' }, '0.1000', '60.00'],
      ['group channel selling P&C', { sellingAgentId: 'G-1', sellingSubsidiary: 'group', channel: 'GROUP_ACCOUNT', productSubsidiary: 'pnc', productLine: 'HOME' }, '0.0500', '50.00'],
      ['P&C selling group', { sellingAgentId: 'P-1', sellingSubsidiary: 'pnc', channel: 'AGENCY', productSubsidiary: 'group', productLine: 'GROUP_ACCIDENT' }, '0.0500', '30.00'],
      ['life bancassurance selling P&C (no seed: default 0)', { sellingAgentId: 'L-B', sellingSubsidiary: 'life', channel: 'BANCASSURANCE', productSubsidiary: 'pnc', productLine: 'HOME' }, '0.0000', '0.00'],
      ['own product (not a cross-sale)', { sellingAgentId: 'A-1', sellingSubsidiary: 'life', channel: 'AGENCY', productSubsidiary: 'life', productLine: 'LIFE_WHOLE' }, '1.0000', '1000.00'],
    ];
    it.each(cases)('%s: sales-side weight %s, weighted credit %s', (_name, overrides, weight, weighted) => {
      given([]).when(record(tx(overrides))).then((events) => {
        const [agentLine] = pick(linesIn(events), 'sales', 'agent');
        expect(agentLine).toMatchObject({ kpiWeight: weight, weightedCredit: weighted, crossSale: overrides.sellingSubsidiary !== overrides.productSubsidiary });
      });
    });
  });

  it('credits both legs as separate records computed from the same standard premium', () => {
    given([]).when(record(tx({ productSpecialistId: 'SPEC-7' }))).then((events) => {
      const lines = linesIn(events);
      expect(lines.map((l) => `${l.side}/${l.level}/${l.beneficiaryId}/${l.weightedCredit}`)).toEqual([
        'sales/agent/A-1/100.00', 'sales/team/T1/100.00', 'sales/branch/B1/100.00', 'sales/subsidiary/life/100.00',
        'product/subsidiary/pnc/1000.00', 'product/specialist/SPEC-7/100.00',
      ]);
      expect(new Set(lines.map((l) => l.lineId)).size).toBe(lines.length);
      expect(lines.every((l) => l.standardPremium === '1000.00' && l.transactionId === 'evt-1' && l.ruleSetVersion === 'v1')).toBe(true);
      expect(lines[0].lineId).toBe('evt-1|sales|A-1|agent|A-1');
    });
  });

  it('rolls up through the hierarchy as it stood on each effective date (transfer on 1 July)', () => {
    const before = given([]).when(record(tx({ effectiveDate: '2026-06-30', expiryDate: '2027-06-30' }))).then(() => undefined);
    const after = given([]).when(record(tx({ effectiveDate: '2026-07-01', expiryDate: '2027-07-01' }))).then(() => undefined);
    const rollup = (events: LedgerEvent[]) => pick(linesIn(events), 'sales', 'team').concat(pick(linesIn(events), 'sales', 'branch')).map((l) => l.beneficiaryId);
    expect(rollup(before)).toEqual(['T1', 'B1']);
    expect(rollup(after)).toEqual(['T2', 'B2']);
  });

  it('splits the sales leg 60/40 by conflict decision, each share rolled up, cents summing exactly', () => {
    const split = tx({ premium: { amount: '333.33', mode: 'ANNUAL' }, conflictDecision: { kind: 'split', shares: [{ agentId: 'A-1', percent: '60' }, { agentId: 'G-1', percent: '40' }] } });
    given([]).when(record(split)).then((events) => {
      const agents = pick(linesIn(events), 'sales', 'agent');
      expect(agents.map((l) => [l.beneficiaryId, l.sharePct, l.standardPremium, l.kpiWeight, l.weightedCredit])).toEqual([
        ['A-1', '60', '200.00', '0.1000', '20.00'],
        ['G-1', '40', '133.33', '0.0500', '6.67'],
      ]);
      expect(pick(linesIn(events), 'sales', 'team').map((l) => l.beneficiaryId)).toEqual(['T1', 'GT1']);
      expect(pick(linesIn(events), 'product', 'subsidiary')[0].standardPremium).toBe('333.33');
    });
  });

  it('awards the sales leg to the decided agent, or to nobody when both are rejected', () => {
    given([]).when(record(tx({ conflictDecision: { kind: 'award', agentId: 'A-2' } }))).then((events) => {
      expect(pick(linesIn(events), 'sales', 'agent').map((l) => l.beneficiaryId)).toEqual(['A-2']);
    });
    given([]).when(record(tx({ conflictDecision: { kind: 'reject-both' } }))).then((events) => {
      expect(linesIn(events).map((l) => l.side)).toEqual(['product']);
    });
  });

  it('rejects a split that does not sum to 100', () => {
    const bad = tx({ conflictDecision: { kind: 'split', shares: [{ agentId: 'A-1', percent: '60' }, { agentId: 'G-1', percent: '30' }] } });
    given([]).when(record(bad)).thenThrows('CREDIT_INVALID_SPLIT');
  });

  describe('double counting', () => {
    it('rejects the same leg twice in one transaction', () => {
      const twice = tx({ conflictDecision: { kind: 'split', shares: [{ agentId: 'A-1', percent: '50' }, { agentId: 'A-1', percent: '50' }] } });
      given([]).when(record(twice)).thenThrows('CREDIT_DOUBLE_COUNTING');
    });

    it('rejects a transaction id credited before with other content; a redelivery is a no-op', () => {
      const issued = given([]).when(record(tx())).then(() => undefined);
      given(issued).when(record(tx())).then([]);
      given(issued).when(record(tx({ kind: 'Renewed', premium: { amount: '5.00', mode: 'ANNUAL' } }))).thenThrows('CREDIT_DOUBLE_COUNTING');
    });

    it('rejects a second issue of the same policy', () => {
      const issued = given([]).when(record(tx())).then(() => undefined);
      given(issued).when(record(tx({ transactionId: 'evt-2' }))).thenThrows('CREDIT_POLICY_ALREADY_ISSUED');
    });
  });

  it('credits an endorsement on its premium delta (negative deltas reduce the credit)', () => {
    const issued = given([]).when(record(tx())).then(() => undefined);
    given(issued).when(record(tx({ kind: 'Endorsed', transactionId: 'evt-2', premiumDelta: '-200.00', effectiveDate: '2026-06-01' }))).then((events) => {
      expect(pick(linesIn(events), 'sales', 'agent')[0]).toMatchObject({ standardPremium: '-200.00', weightedCredit: '-20.00' });
    });
  });

  it('fails with a code when no rule set is in effect', () => {
    given([]).when(record(tx({ effectiveDate: '2019-12-31' }), context())).thenThrows('CREDIT_NO_RULE_SET_IN_EFFECT');
  });
});
