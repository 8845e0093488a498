import { ConflictsDomainError } from '../conflicts.errors';
import { referralDecider } from './referral.decider';
import { dueForExpiry, linkChanges, type LinkableReferral, type LinkableSale, type LinkChange } from './referral.queries';
import type { Referral, ReferralCommand, ReferralEvent, ReferralState } from './referral.types';
import { permutations } from '../../../../../../test/support/permutations';

/**
 * Lost and expired referrals judged by business time: the facts of one party and line (registrations,
 * a loss the product side records, the expiry check, sales naming no referral) delivered in every
 * order the system allows leave the same referrals, links and credited referral per sale as business
 * order. The model runs the write side's steps: each registration or sale reconciles the links
 * (linkChanges: withdrawals, then conversions, through the referral decider) and crediting hears of
 * each sale whose link moved; a loss that withdraws a conversion (dated before the sale) reconciles
 * them too and crediting hears of the released sale; a loss or an expiry the decider refuses is
 * answered with an error and changes nothing (REST 409, the expiry task's skipped referral), except a
 * loss it notes (after the sale naming none that converts the referral: 409, the note kept).
 */
type Known = Exclude<ReferralState, { status: 'none' }>;
type Fact =
  | { kind: 'registration'; referral: Omit<Referral, 'windowEndsAt'> }
  | { kind: 'loss'; referralId: string; lostAt: string }
  | { kind: 'expiry-check'; at: string }
  | { kind: 'sale'; policyNo: string; issuedAt: string };

class Line {
  private readonly referrals = new Map<string, Known>();
  private readonly sales: Array<Omit<LinkableSale, 'convertedBy'>> = [];
  /** The referral crediting last credited each sale to (null: the seller's own sale). */
  private readonly credited = new Map<string, string | null>();

  apply(fact: Fact): void {
    switch (fact.kind) {
      case 'registration':
        this.run(fact.referral.referralId, { type: 'RegisterReferral', data: fact.referral });
        this.reconcile();
        return;
      case 'loss':
        return this.refusable(() => this.lose(fact.referralId, fact.lostAt));
      case 'expiry-check':
        for (const id of dueForExpiry([...this.referrals.values()], fact.at)) this.run(id, { type: 'ExpireReferral', data: { referralId: id, now: fact.at } });
        return;
      case 'sale':
        this.sales.push({ policyNo: fact.policyNo, issuedAt: fact.issuedAt, productSubsidiary: 'pnc', namedReferralId: null });
        this.credited.set(fact.policyNo, null);
        this.reconcile();
        return;
    }
  }

  outcome() {
    const referrals = [...this.referrals.values()].map((r) => [r.referralId, r.status, r.policyNo ?? null, r.closedAt ?? null]);
    const credited = [...this.credited.entries()].map(([policyNo, referralId]) => [policyNo, 'credited to', referralId]);
    return [...referrals.sort((a, b) => String(a[0]).localeCompare(String(b[0]))), ...credited.sort((a, b) => String(a[0]).localeCompare(String(b[0])))];
  }

  /** The REST loss: a conversion it withdraws releases the sale (SaleLinks.released); a noted loss is kept and refused. */
  private lose(referralId: string, lostAt: string): void {
    const events = this.run(referralId, { type: 'MarkReferralLost', data: { referralId, reason: 'client declined', lostAt, recordedAt: '2026-06-01T00:00:00Z' } });
    const withdrawn = events.find((e) => e.type === 'ReferralConversionWithdrawn');
    if (!withdrawn) return;
    const changes = this.reconcile();
    if (!changes.some((c) => c.sale.policyNo === withdrawn.data.policyNo)) this.credited.set(withdrawn.data.policyNo, null);
  }

  private reconcile(): LinkChange[] {
    const linkable: LinkableReferral[] = [...this.referrals.values()].map((r) => ({ ...r, policyNo: r.policyNo ?? null }));
    const sales = this.sales.map((s) => ({ ...s, convertedBy: linkable.find((r) => r.status === 'converted' && r.policyNo === s.policyNo)?.referralId ?? null }));
    const changes = linkChanges(sales, linkable);
    for (const { sale, withdraw } of changes) {
      if (withdraw) this.run(withdraw, { type: 'WithdrawConversion', data: { referralId: withdraw, policyNo: sale.policyNo, reason: 'late', withdrawnAt: '2026-06-01T00:00:00Z' } });
    }
    for (const { sale, convert } of changes) {
      if (!convert) continue;
      this.run(convert, {
        type: 'ConvertReferral',
        data: { referralId: convert, policyNo: sale.policyNo, partyId: 'P-1', productLine: 'MOTOR', issuedAt: sale.issuedAt, linkedBy: 'party-and-line' },
      });
    }
    for (const { sale, convert } of changes) this.credited.set(sale.policyNo, convert);
    return changes;
  }

  private run(referralId: string, command: ReferralCommand): ReferralEvent[] {
    let state: ReferralState = this.referrals.get(referralId) ?? referralDecider.initialState();
    const events = referralDecider.decide(command, state);
    for (const event of events) state = referralDecider.evolve(state, event);
    if (state.status !== 'none') this.referrals.set(referralId, state);
    return events;
  }

  private refusable(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof ConflictsDomainError)) throw error;
    }
  }
}

const registration = (referralId: string, registeredAt: string, agentId: string): Fact => ({
  kind: 'registration',
  referral: {
    referralId, partyId: 'P-1', productLine: 'MOTOR', productSubsidiary: 'pnc', registeredAt,
    referrer: { agentId, subsidiary: agentId.startsWith('G') ? 'group' : 'life', channel: 'AGENCY' },
  },
});
const sale = (policyNo: string, issuedAt: string): Fact => ({ kind: 'sale', policyNo, issuedAt });

/** Arrival orders the system allows: the product side marks a referral lost only once it is registered. */
const allowed = (order: Fact[]): boolean =>
  order.every((f, i) => f.kind !== 'loss' || order.slice(0, i).some((g) => g.kind === 'registration' && g.referral.referralId === f.referralId));

function outcomeOf(order: Fact[]) {
  const line = new Line();
  for (const fact of order) line.apply(fact);
  line.apply({ kind: 'expiry-check', at: '2026-07-01T00:00:00Z' }); // the scheduled check keeps running
  return line.outcome();
}

function expectEveryOrderLike(facts: Fact[], expected: ReturnType<typeof outcomeOf>, also: (order: Fact[]) => boolean = () => true): void {
  const orders = permutations(facts).filter((order) => allowed(order) && also(order));
  expect(orders.length).toBeGreaterThan(2);
  expect(outcomeOf(facts)).toEqual(expected); // business order
  for (const order of orders) {
    expect({ order: order.map(label), outcome: outcomeOf(order) }).toEqual({ order: order.map(label), outcome: expected });
  }
}
const label = (f: Fact): string =>
  f.kind === 'registration' ? f.referral.referralId : f.kind === 'sale' ? f.policyNo : f.kind === 'loss' ? `lost:${f.referralId}` : `expiry@${f.at}`;

describe('lost and expired referrals judged by business time (every arrival order)', () => {
  it('given a sale issued before a loss that arrived first, then the lost referral converts; a sale issued after the loss takes the next registration', () => {
    // R-1 (1 March) and R-2 (3 March) register the client for motor; PM-1 is sold on 5 March, R-1 is
    // lost on 10 March (in business order the loss is refused: PM-1 converted it), PM-2 is sold on 12 March.
    const facts: Fact[] = [
      registration('R-1', '2026-03-01T09:00:00Z', 'A-1001'),
      registration('R-2', '2026-03-03T09:00:00Z', 'G-3001'),
      sale('PM-1', '2026-03-05T10:00:00Z'),
      { kind: 'loss', referralId: 'R-1', lostAt: '2026-03-10T00:00:00Z' },
      sale('PM-2', '2026-03-12T10:00:00Z'),
    ];
    expectEveryOrderLike(facts, [
      ['R-1', 'converted', 'PM-1', '2026-03-05T10:00:00Z'],
      ['R-2', 'converted', 'PM-2', '2026-03-12T10:00:00Z'],
      ['PM-1', 'credited to', 'R-1'],
      ['PM-2', 'credited to', 'R-2'],
    ]);
  });

  it('given a lost referral whose late conversion moves to an earlier-filed registration, then it is lost again, with its loss time', () => {
    // R-0 (28 February) arrives last in some orders: PM-1 first converts R-1 (lost on 10 March), then moves to R-0.
    const facts: Fact[] = [
      registration('R-0', '2026-02-28T09:00:00Z', 'G-3001'),
      registration('R-1', '2026-03-01T09:00:00Z', 'A-1001'),
      sale('PM-1', '2026-03-05T10:00:00Z'),
      { kind: 'loss', referralId: 'R-1', lostAt: '2026-03-10T00:00:00Z' },
    ];
    // A loss that arrives while PM-1 converts R-1 (R-0 not seen yet) is refused (409) but noted: when PM-1
    // moves to is lost from 10 March, as in business order (where it was never converted).
    expectEveryOrderLike(facts, [
      ['R-0', 'converted', 'PM-1', '2026-03-05T10:00:00Z'],
      ['R-1', 'lost', null, '2026-03-10T00:00:00Z'],
      ['PM-1', 'credited to', 'R-0'],
    ]);
  });

  it('given a loss dated before a sale naming no referral that converted it, then the loss stands and the sale takes the next registration', () => {
    // R-1 (1 March) and R-2 (3 March) register the client; R-1 is lost on 4 March; PM-1 is sold on 5 March.
    // Where PM-1 converted R-1 before the loss arrived, the loss withdraws that conversion and PM-1 moves to R-2.
    const facts: Fact[] = [
      registration('R-1', '2026-03-01T09:00:00Z', 'A-1001'),
      registration('R-2', '2026-03-03T09:00:00Z', 'G-3001'),
      { kind: 'loss', referralId: 'R-1', lostAt: '2026-03-04T00:00:00Z' },
      sale('PM-1', '2026-03-05T10:00:00Z'),
    ];
    expectEveryOrderLike(facts, [
      ['R-1', 'lost', null, '2026-03-04T00:00:00Z'],
      ['R-2', 'converted', 'PM-1', '2026-03-05T10:00:00Z'],
      ['PM-1', 'credited to', 'R-2'],
    ]);
  });

  it('given a loss dated before the only registration\'s sale, then the sale converts none and is credited as the seller\'s own', () => {
    const facts: Fact[] = [
      registration('R-1', '2026-03-01T09:00:00Z', 'A-1001'),
      { kind: 'loss', referralId: 'R-1', lostAt: '2026-03-04T00:00:00Z' },
      sale('PM-1', '2026-03-05T10:00:00Z'),
    ];
    expectEveryOrderLike(facts, [
      ['R-1', 'lost', null, '2026-03-04T00:00:00Z'],
      ['PM-1', 'credited to', null],
    ]);
  });

  it('given a loss dated before the sale, with an earlier-filed registration arriving late, then the sale converts that one and the loss stands', () => {
    const facts: Fact[] = [
      registration('R-0', '2026-02-28T09:00:00Z', 'G-3001'),
      registration('R-1', '2026-03-01T09:00:00Z', 'A-1001'),
      { kind: 'loss', referralId: 'R-1', lostAt: '2026-03-04T00:00:00Z' },
      sale('PM-1', '2026-03-05T10:00:00Z'),
    ];
    expectEveryOrderLike(facts, [
      ['R-0', 'converted', 'PM-1', '2026-03-05T10:00:00Z'],
      ['R-1', 'lost', null, '2026-03-04T00:00:00Z'],
      ['PM-1', 'credited to', 'R-0'],
    ]);
  });

  it('given sales issued inside the windows of referrals the expiry check closed before they arrived, then they convert them as in business order', () => {
    // R-1's window ends 31 March, R-2's 2 April; the check runs on 5 April. PM-1 (20 March) converts R-1,
    // PM-3 (1 April, after R-1's window) converts R-2; PM-4 (4 April) is outside both.
    const facts: Fact[] = [
      registration('R-1', '2026-03-01T09:00:00Z', 'A-1001'),
      registration('R-2', '2026-03-03T09:00:00Z', 'G-3001'),
      sale('PM-1', '2026-03-20T10:00:00Z'),
      sale('PM-3', '2026-04-01T10:00:00Z'),
      sale('PM-4', '2026-04-04T10:00:00Z'),
      { kind: 'expiry-check', at: '2026-04-05T00:00:00Z' },
    ];
    expectEveryOrderLike(facts, [
      ['R-1', 'converted', 'PM-1', '2026-03-20T10:00:00Z'],
      ['R-2', 'converted', 'PM-3', '2026-04-01T10:00:00Z'],
      ['PM-1', 'credited to', 'R-1'],
      ['PM-3', 'credited to', 'R-2'],
      ['PM-4', 'credited to', null],
    ]);
  });

  it('given an expired referral converted late whose conversion moves to an earlier-filed registration, then it is expired again', () => {
    const facts: Fact[] = [
      registration('R-0', '2026-02-28T09:00:00Z', 'G-3001'),
      registration('R-1', '2026-03-01T09:00:00Z', 'A-1001'),
      sale('PM-1', '2026-03-20T10:00:00Z'),
      { kind: 'expiry-check', at: '2026-04-05T00:00:00Z' },
    ];
    const outcomes = permutations(facts).map(outcomeOf);
    for (const outcome of outcomes) {
      expect(outcome.map(([id, status, policyNo]) => [id, status, policyNo])).toEqual([['R-0', 'converted', 'PM-1'], ['R-1', 'expired', null], ['PM-1', 'credited to', 'R-0']]);
    }
  });
});
