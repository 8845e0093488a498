import { balancesByCreditKey, defaultRuleSet, publishOnto, replayPolicy, timelineOf } from '../domain';
import { buildScorecards } from '../domain/scorecard';
import { context, record, tx } from '../domain/ledger.fixtures';
import type { CreditLine } from '../domain';
import { CreditLedgerCommand, CreditLedgerEvent, decideLedger, foldLedger, ledgerEventLines, ledgerEventReattributed, ledgerHistory } from './credit-ledger';
import { runLedger as run } from './credit-ledger.fixtures';


const lines = (events: CreditLedgerEvent[]) => events.flatMap((e) => [...ledgerEventLines(e)]);
const agentBalances = (events: CreditLedgerEvent[]) =>
  [...balancesByCreditKey(lines(events).filter((l) => l.level === 'agent'))].map(([key, v]) => `${key.split('|')[2]}=${v}`);

describe('credit ledger: a conflict decided after the sale was credited', () => {
  const sold = run([record(tx())]);
  const award = (agentId: string): CreditLedgerCommand => ({ type: 'ApplyConflictDecision', data: { conflictId: 'C-1', decision: { kind: 'award', agentId }, context: context() } });

  it('given a credited sale, when the coordinator awards it to another agent, then the seller nets to zero and the awardee is credited', () => {
    const events = run([award('A-2')], sold);
    expect(events.at(-1)!.type).toBe('ConflictDecisionApplied');
    expect(agentBalances(events)).toEqual(['A-2=100.00']);
  });

  it('keeps the decision in the history, so a later replay or retroactive rule set re-credits the awardee, not the seller', () => {
    const events = run([award('A-2')], sold);
    const replayed = replayPolicy(ledgerHistory(events), context());
    expect(balancesByCreditKey([...replayed.lines.values()])).toEqual(balancesByCreditKey(lines(events)));
    const v2 = defaultRuleSet({ version: 'v2', effectiveFrom: '2026-01-01', crossSaleWeights: [{ sellingSubsidiary: 'life', productSubsidiary: 'pnc', weight: '0.20' }] });
    const repriced = run([{ type: 'RecalculateCredits', data: { recalculationId: 'r2', ruleSetVersion: 'v2', context: context({ timeline: publishOnto(timelineOf(defaultRuleSet()), v2) }) } }], events);
    expect(agentBalances(repriced)).toEqual(['A-2=200.00']);
  });

  it('splits the sales leg by percent, and rejecting everyone withdraws the sales leg but keeps the product side', () => {
    const split = run([{ type: 'ApplyConflictDecision', data: { conflictId: 'C-1', decision: { kind: 'split', shares: [{ agentId: 'A-1', percent: '60.00' }, { agentId: 'A-2', percent: '40.00' }] }, context: context() } }], sold);
    expect(agentBalances(split)).toEqual(['A-1=60.00', 'A-2=40.00']);
    const rejected = run([{ type: 'ApplyConflictDecision', data: { conflictId: 'C-1', decision: { kind: 'reject-both' }, context: context() } }], sold);
    const net = balancesByCreditKey(lines(rejected));
    expect([...net.keys()].every((key) => key.includes('|product|'))).toBe(true);
  });

  it('changes nothing when the same decision arrives again', () => {
    const once = run([award('A-2')], sold);
    expect(decideLedger(award('A-2'), foldLedger(once))).toEqual([]);
  });

  it('refuses a decision for a ledger without a sale', () => {
    expect(() => decideLedger(award('A-2'), foldLedger([]))).toThrow(expect.objectContaining({ code: 'CREDIT_POLICY_NOT_ISSUED' }));
  });
});

describe('credit ledger: transactions the rules cannot credit', () => {
  it('given no rule set on the date, when the sale is recorded, then it is kept with its reason instead of failing', () => {
    const early = tx({ effectiveDate: '2019-05-01', expiryDate: '2020-05-01' });
    const [event] = run([record(early)]);
    expect(event).toEqual({ type: 'PolicyTransactionNotCredited', data: { transaction: early, code: 'CREDIT_NO_RULE_SET_IN_EFFECT', reason: expect.stringContaining('2019-05-01') } });
    expect(foldLedger([event]).items).toEqual([]);
  });

  it('still refuses double counting: the same transaction id with other content', () => {
    const sold = run([record(tx())]);
    expect(() => decideLedger(record(tx({ premium: { amount: '2000.00', mode: 'ANNUAL' } })), foldLedger(sold))).toThrow(expect.objectContaining({ code: 'CREDIT_DOUBLE_COUNTING' }));
  });

  it('records an orphan waiting for a coordinator without touching credit', () => {
    const sold = run([record(tx())]);
    const waiting = run([{ type: 'AwaitServicingReassignment', data: { policyNo: 'PN-1', fromAgentId: 'A-1', reason: 'rule: coordinator decides', since: '2026-08-01' } }], sold);
    expect(waiting.at(-1)!.type).toBe('ServicingReassignmentPending');
    expect(foldLedger(waiting).net).toEqual(foldLedger(sold).net);
  });
});

describe('credit ledger: facts learnt after the sale was credited (cross-partition order)', () => {
  // P&C's own agent P-1 sold the policy; a life agent's referral it converts arrived later.
  const own = tx({ sellingAgentId: 'P-1', servicingAgentId: 'P-1', sellingSubsidiary: 'pnc', referralId: null });
  const referral = { referralId: 'R-7', referrer: { subsidiary: 'life', agentId: 'A-1', channel: 'AGENCY' } };
  const seller = { agentId: 'P-1', subsidiary: 'pnc', channel: 'AGENCY', namedReferralId: null };
  const linkTo = (r: typeof referral | null): CreditLedgerCommand => ({ type: 'ApplyReferralLink', data: { referral: r, seller, context: context() } });
  const link = linkTo(referral);
  const award = (agentId: string | null): CreditLedgerCommand =>
    ({ type: 'ApplyConflictDecision', data: { conflictId: 'C-1', decision: agentId ? { kind: 'award', agentId } : null, context: context() } });
  const net = (events: CreditLedgerEvent[]) => balancesByCreditKey(lines(events));

  it('given a sale credited without its referral, when the referral link arrives, then the credit equals a sale credited with it from the start', () => {
    const late = run([record(own), link]);
    const inOrder = run([record(tx({ ...own, sellingAgentId: 'A-1', sellingSubsidiary: 'life', referralId: 'R-7' }))]);
    expect(late.at(-1)!.type).toBe('ReferralLinkApplied');
    expect(net(late)).toEqual(net(inOrder));
    expect(replayPolicy(ledgerHistory(late), context()).items).toEqual(replayPolicy(ledgerHistory(inOrder), context()).items);
  });

  it('given a link learnt late, moved, or withdrawn, then the KPI scorecard (cross-sales, referrals converted) equals the one of the sale credited in business order', () => {
    // Rows whose every figure nets to zero (the seller's, once its credit moved) are left out: nothing counts there.
    const scorecard = (events: CreditLedgerEvent[]) => buildScorecards(lines(events), 'month', new Map([['A-1|2026-03', 1], ['G-1|2026-03', 1]]))
      .filter((r) => r.crossSaleCount > 0 || r.referralsConverted > 0 || [r.standardPremium, r.productStandardPremium, r.weightedKpiScore].some((v) => v !== '0.00'));
    const withR7 = run([record(tx({ ...own, sellingAgentId: 'A-1', sellingSubsidiary: 'life', referralId: 'R-7' }))]);
    const late = scorecard(run([record(own), link]));
    expect(late).toEqual(scorecard(withR7));
    expect(late.find((r) => r.level === 'agent' && r.beneficiaryId === 'A-1')).toMatchObject({ crossSaleCount: 1, referralsConverted: 1, referralConversionRate: '1.0000' });
    expect(late.find((r) => r.level === 'agent' && r.beneficiaryId === 'P-1')).toBeUndefined();
    const other = { referralId: 'R-8', referrer: { subsidiary: 'group', agentId: 'G-1', channel: 'GROUP_ACCOUNT' } };
    const withR8 = run([record(tx({ ...own, sellingAgentId: 'G-1', sellingSubsidiary: 'group', channel: 'GROUP_ACCOUNT', referralId: 'R-8' }))]);
    const moved = scorecard(run([record(own), link, linkTo(other)]));
    expect(moved).toEqual(scorecard(withR8));
    expect(moved.find((r) => r.beneficiaryId === 'A-1')).toBeUndefined();
    expect(scorecard(run([record(own), link, linkTo(null)]))).toEqual(scorecard(run([record(own)])));
  });

  it('given a sale already linked, when the link arrives again, then nothing is appended', () => {
    expect(decideLedger(link, foldLedger(run([record(own), link])))).toEqual([]);
  });

  it('given a sale linked to one referral, when it moves to another referrer, then the credit equals a sale credited with the second from the start', () => {
    const other = { referralId: 'R-8', referrer: { subsidiary: 'group', agentId: 'G-1', channel: 'GROUP_ACCOUNT' } };
    const moved = run([record(own), link, linkTo(other)]);
    const inOrder = run([record(tx({ ...own, sellingAgentId: 'G-1', sellingSubsidiary: 'group', channel: 'GROUP_ACCOUNT', referralId: 'R-8' }))]);
    expect(net(moved)).toEqual(net(inOrder));
  });

  it('given a linked sale, when its link is withdrawn and none replaces it, then the credit is the seller\'s own again', () => {
    expect(net(run([record(own), link, linkTo(null)]))).toEqual(net(run([record(own)])));
    expect(decideLedger(linkTo(null), foldLedger(run([record(own)])))).toEqual([]);
  });

  it('given a decision applied to the sale, when it is retracted (its conflict superseded), then the credit equals the sale never decided', () => {
    const retracted = run([record(own), award('A-2'), award(null)]);
    expect(net(retracted)).toEqual(net(run([record(own)])));
    expect(decideLedger(award(null), foldLedger(run([record(own)])))).toEqual([]);
  });

  it('given a decision superseded by another, when both are applied in turn, then the credit equals the surviving decision alone', () => {
    expect(net(run([record(own), award('A-2'), award(null), award('A-1')]))).toEqual(net(run([record(own), award('A-1')])));
  });
});

describe('credit ledger: what a re-credited sale\'s lines are read as (referral, cross-sale)', () => {
  const own = tx({ sellingAgentId: 'P-1', servicingAgentId: 'P-1', sellingSubsidiary: 'pnc', referralId: null });
  const r7 = { referralId: 'R-7', referrer: { subsidiary: 'life', agentId: 'A-1', channel: 'AGENCY' } };
  const r8 = { referralId: 'R-8', referrer: { subsidiary: 'group', agentId: 'G-1', channel: 'GROUP_ACCOUNT' } };
  const seller = { agentId: 'P-1', subsidiary: 'pnc', channel: 'AGENCY', namedReferralId: null };
  const linkTo = (r: typeof r7 | null): CreditLedgerCommand => ({ type: 'ApplyReferralLink', data: { referral: r, seller, context: context() } });
  const split: CreditLedgerCommand = {
    type: 'ApplyConflictDecision',
    data: { conflictId: 'C-1', decision: { kind: 'split', shares: [{ agentId: 'P-1', percent: '50.00' }, { agentId: 'A-2', percent: '50.00' }] }, context: context() },
  };
  const cancel = record(tx({ ...own, kind: 'Cancelled', transactionId: 'evt-9', effectiveDate: '2026-06-01' }));
  const issuedWith = (over: Partial<typeof own>) => record(tx({ ...own, ...over }));

  /** The rows the credit-lines projection leaves: every line as posted, restated by the events after it. */
  function rows(events: CreditLedgerEvent[]): CreditLine[] {
    const byId = new Map<string, CreditLine>();
    for (const event of events) {
      for (const line of ledgerEventLines(event)) if (!byId.has(line.lineId)) byId.set(line.lineId, line);
      for (const r of ledgerEventReattributed(event)) {
        const line = byId.get(r.lineId);
        if (line) byId.set(r.lineId, { ...line, referralId: r.referralId, crossSale: r.crossSale });
      }
    }
    return [...byId.values()];
  }
  /** Weighted credit per beneficiary and reading, groups netting to zero left out (as the arrival-order specs compare). */
  function readAs(events: CreditLedgerEvent[]): string[] {
    const sums = new Map<string, number>();
    for (const l of rows(events)) {
      const key = `${l.transactionKind === 'Recalculation' ? 'Issued' : l.transactionKind} ${l.side}/${l.level} ${l.beneficiaryId} ${l.referralId ?? '-'} ${l.crossSale ? 'cross' : 'own'}`;
      sums.set(key, (sums.get(key) ?? 0) + Math.round(Number(l.weightedCredit) * 100));
    }
    return [...sums].filter(([, cents]) => cents !== 0).map(([key, cents]) => `${key} ${(cents / 100).toFixed(2)}`).sort();
  }

  it('given a sale credited as the seller\'s own, when its referral link arrives, then its product side (amounts unchanged) reads as the referral\'s cross-sale', () => {
    const late = run([record(own), linkTo(r7)]);
    const inOrder = run([issuedWith({ sellingAgentId: 'A-1', sellingSubsidiary: 'life', referralId: 'R-7' })]);
    expect(readAs(late)).toEqual(readAs(inOrder));
    expect(ledgerEventReattributed(late.at(-1)!)).toEqual([{ lineId: 'evt-1|product|subsidiary|pnc', referralId: 'R-7', crossSale: true }]);
  });

  it('given a link moved to another referrer, then withdrawn, then every reading equals the sale credited so from the start', () => {
    const moved = run([record(own), linkTo(r7), linkTo(r8)]);
    expect(readAs(moved)).toEqual(readAs(run([issuedWith({ sellingAgentId: 'G-1', sellingSubsidiary: 'group', channel: 'GROUP_ACCOUNT', referralId: 'R-8' })])));
    expect(readAs(run([record(own), linkTo(r7), linkTo(r8), linkTo(null)]))).toEqual(readAs(run([record(own)])));
  });

  it('given a sale relinked the same referrer\'s other referral, then no line moves but every line reads the new referral', () => {
    const sameReferrer = { ...r7, referralId: 'R-6' };
    const events = run([record(own), linkTo(r7), linkTo(sameReferrer)]);
    expect(events.at(-1)).toMatchObject({ type: 'ReferralLinkApplied', data: { lines: [] } });
    expect(readAs(events)).toEqual(readAs(run([issuedWith({ sellingAgentId: 'A-1', sellingSubsidiary: 'life', referralId: 'R-6' })])));
  });

  it('given a relinked sale, when it is cancelled, then its reversals read the referral, as they do when it was credited with it', () => {
    const late = run([record(own), linkTo(r7), cancel]);
    const inOrder = run([issuedWith({ sellingAgentId: 'A-1', sellingSubsidiary: 'life', referralId: 'R-7' }), cancel]);
    expect(readAs(late)).toEqual(readAs(inOrder));
    expect(rows(late).filter((l) => l.origin === 'reversal').every((l) => l.referralId === 'R-7' && l.crossSale)).toBe(true);
    // Cancelled before the link arrived: the reversals are restated with the rest.
    expect(readAs(run([record(own), cancel, linkTo(r7)]))).toEqual(readAs(inOrder));
  });

  it('given a split giving another subsidiary\'s agent a share, then the product side reads as a cross-sale, and a retraction reads it as own again', () => {
    const decided = run([record(own), split]);
    expect(readAs(decided)).toEqual(readAs(run([record(tx({ ...own, conflictDecision: { kind: 'split', shares: [{ agentId: 'P-1', percent: '50.00' }, { agentId: 'A-2', percent: '50.00' }] } }))])));
    expect(readAs(decided).filter((r) => r.includes('product/')).map((r) => r.split(' ').slice(0, 5).join(' '))).toEqual(['Issued product/subsidiary pnc - cross']);
    const retract: CreditLedgerCommand = { type: 'ApplyConflictDecision', data: { conflictId: 'C-1', decision: null, context: context() } };
    expect(readAs(run([record(own), split, retract]))).toEqual(readAs(run([record(own)])));
  });

  it('folds events stored before `reattributed` existed as before: same balances, their lines keep what they were credited with', () => {
    const events = run([record(own), linkTo(r7)]);
    const old = events.map((e) => (e.type === 'ReferralLinkApplied' ? { ...e, data: (({ reattributed: _r, ...rest }) => rest)(e.data) } : e)) as CreditLedgerEvent[];
    const amounts = (evs: CreditLedgerEvent[]) => [...foldLedger(evs).net].map(([id, e]) => [id, e.amounts.weightedCredit.toFixed(2)]);
    expect(amounts(old)).toEqual(amounts(events));
    expect(foldLedger(old).net.get('evt-1|product|subsidiary|pnc')!.line).toMatchObject({ referralId: null, crossSale: false });
    expect(foldLedger(events).net.get('evt-1|product|subsidiary|pnc')!.line).toMatchObject({ referralId: 'R-7', crossSale: true });
    const reversals = (evs: CreditLedgerEvent[]) => decideLedger(cancel, foldLedger(evs)).flatMap((e) => [...ledgerEventLines(e)]).filter((l) => l.side === 'product');
    expect(reversals(old).map((l) => l.referralId)).toEqual([null]);
    expect(reversals(events).map((l) => l.referralId)).toEqual(['R-7']);
  });
});
