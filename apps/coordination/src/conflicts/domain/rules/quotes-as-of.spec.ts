import { inForce, quote } from '../testing/fixtures';
import { DEFAULT_PRECEDENCE } from '../resolution/precedence';
import { resolve } from '../resolution/resolve';
import { RecordedScopeConflict, ScopeFacts, ScopePolicy, reconcileScope } from './as-of';
import { ScopeQuote, quoteClashes } from './quotes-as-of';
import { expectedScopeConflicts } from './sales-as-of';
import { permutations } from '../../../../../../test/support/permutations';

// A group broker quotes the client for group health on 1 March, the group's direct channel on
// 5 March: a clash. The direct agent G-3001 has serviced the client's group health policy since
// 20 February (PG-1), but that policy may arrive after the quotes (another topic).
const Q1: ScopeQuote = { ...quote({ channel: 'BROKER', agentId: 'G-BRK-1', quotedAt: '2026-03-01T10:00:00Z', price: '92000.00' }), quoteId: 'group:ACT-1' };
const Q2: ScopeQuote = { ...quote({ channel: 'DIRECT', agentId: 'G-3001', quotedAt: '2026-03-05T10:00:00Z', price: '85000.00' }), quoteId: 'group:ACT-2' };
const PG1: ScopePolicy = { ...inForce({ policyNo: 'PG-1', productLine: 'GROUP_HEALTH', subsidiary: 'group', channel: 'DIRECT', servicingAgentId: 'G-3001' }), issuedAt: '2026-02-20T10:00:00Z' };
// Issued after both quotes: it must not decide a clash about them.
const PG2: ScopePolicy = { ...PG1, policyNo: 'PG-2', servicingAgentId: 'G-BRK-1', channel: 'BROKER', issuedAt: '2026-03-10T10:00:00Z' };

// By default a person judges every clash; with the clash left to the rules, the servicing agent keeps the client.
const BY_RULES = { ...DEFAULT_PRECEDENCE, alwaysQueue: [] };

const scope = (quotes: ScopeQuote[], policies: ScopePolicy[]): ScopeFacts =>
  ({ partyId: Q1.partyId, productLine: 'GROUP_HEALTH', registrations: [], policies, sales: [], quotes });

describe('quote clashes judged by business time (quoteClashes)', () => {
  it('given two channels quoting within the window, then one clash, raised by the later quote, judged with the policies of its time', () => {
    const [clash, ...rest] = quoteClashes(scope([Q2, Q1], [PG1, PG2]));
    expect(rest).toEqual([]);
    expect(clash.conflict.claimants.map((c) => c.agentId)).toEqual(['G-BRK-1', 'G-3001']);
    expect(clash.productSubsidiary).toBe('group');
    expect(clash.facts.policies.map((p) => p.policyNo)).toEqual(['PG-1']);
    expect(resolve(clash.conflict, clash.facts, BY_RULES)).toMatchObject({ outcome: 'auto-resolved', winner: { agentId: 'G-3001' }, decidedByRule: 'servicing-relationship' });
  });

  it('given a quote judged on arrival before quotes were reconciled, then it is a rival but raises nothing again', () => {
    expect(quoteClashes(scope([Q1, { ...Q2, judgedOnArrival: true }], []))).toEqual([]);
    expect(quoteClashes(scope([{ ...Q1, judgedOnArrival: true }, Q2], []))).toHaveLength(1);
  });

  it('given a servicing policy learnt late, then the clash has another natural key (it is judged again)', () => {
    const [without] = quoteClashes(scope([Q1, Q2], []));
    const [withPolicy] = quoteClashes(scope([Q1, Q2], [PG1]));
    expect(without.key).not.toEqual(withPolicy.key);
    expect(quoteClashes(scope([Q1, Q2], [PG2]))[0].key).toEqual(without.key);
  });
});

describe('quotes and policies reconciled on arrival, in every arrival order', () => {
  type Fact = { kind: 'quote'; quote: ScopeQuote } | { kind: 'policy'; policy: ScopePolicy };
  const facts: Fact[] = [{ kind: 'policy', policy: PG1 }, { kind: 'quote', quote: Q1 }, { kind: 'quote', quote: Q2 }, { kind: 'policy', policy: PG2 }];
  const name = (f: Fact) => (f.kind === 'quote' ? f.quote.quoteId : f.policy.policyNo);

  /** The clashes standing after each fact was reconciled on arrival, with how each resolves. */
  function standingAfter(order: Fact[]) {
    let recorded: (RecordedScopeConflict & { outcome: unknown })[] = [];
    order.forEach((_, i) => {
      const seen = order.slice(0, i + 1);
      const quotes = seen.flatMap((f) => (f.kind === 'quote' ? [f.quote] : []));
      const policies = seen.flatMap((f) => (f.kind === 'policy' ? [f.policy] : []));
      const plan = reconcileScope(expectedScopeConflicts(scope(quotes, policies)), recorded);
      const gone = new Set(plan.supersede.map((s) => s.key));
      recorded = [
        ...recorded.map((r) => (gone.has(r.key) ? { ...r, status: 'superseded' } : r)),
        ...plan.detect.map((d) => ({ conflictId: d.key, key: d.key, status: 'detected', outcome: resolve(d.conflict, d.facts, BY_RULES) })),
      ];
    });
    return recorded.filter((r) => r.status !== 'superseded').map(({ key, outcome }) => ({ key, outcome }));
  }

  const business = standingAfter(facts);

  it('given the business order, then one clash, awarded to the servicing agent', () => {
    expect(business).toEqual([{ key: expect.stringContaining('servicer:group:G-3001'), outcome: expect.objectContaining({ winner: expect.objectContaining({ agentId: 'G-3001' }) }) }]);
  });

  it.each(permutations(facts).map((order) => [order.map(name).join(' → '), order] as const))(
    'given the facts arriving as %s, then the standing clash and its resolution equal the business-order ones',
    (_name, order) => {
      expect(standingAfter(order)).toEqual(business);
    },
  );
});

describe('a quote approaching a top-strategic client from outside its team', () => {
  const team = { manager: { subsidiary: 'group' as const, channel: 'GROUP_ACCOUNT', agentId: 'G-RM-1' }, members: [] };
  const top = { partyId: Q1.partyId, tier: 'TOP_STRATEGIC' as const, relationshipTeam: team };

  it('given the client top-strategic when the quote was made, then a strategic-account conflict as well, keyed to the quote', () => {
    const conflicts = quoteClashes({ ...scope([Q1], []), partyAt: () => top });
    expect(conflicts.map((c) => [c.conflict.kind, c.conflict.claimants.map((k) => k.agentId)])).toEqual([['strategic-account', ['G-RM-1', 'G-BRK-1']]]);
    expect(conflicts[0].key).toContain('|quote:group:ACT-1|');
  });

  it('given the client top-strategic only after the quote (tier as of the quote), then none', () => {
    const partyAt = (at: string) => (at >= '2026-04-01' ? top : { partyId: Q1.partyId, tier: 'MID_STRATEGIC' as const });
    expect(quoteClashes({ ...scope([Q1], []), party: top, partyAt })).toEqual([]);
  });
});
