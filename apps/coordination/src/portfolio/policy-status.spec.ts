import { currentStatus, inForceOn, repeatsStatus, statusOn, type PolicyTerm, type StatusChange } from './policy-status';

const permutations = <T>(items: T[]): T[][] => (items.length <= 1 ? [items]
  : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest])));

// Issued for March 2026 to February 2027 and renewed for March 2027 to February 2028; it lapses from
// 1 October 2026 (the renewal puts it back in force) and is cancelled from 1 September 2027.
const FIRST: PolicyTerm = { effectiveDate: '2026-03-01', expiryDate: '2027-02-28' };
const RENEWED: PolicyTerm = { effectiveDate: '2027-03-01', expiryDate: '2028-02-29' };
const LAPSED: StatusChange = { effectiveDate: '2026-10-01', status: 'lapsed', reportedAt: '2026-10-05T02:00:00Z' };
const CANCELLED: StatusChange = { effectiveDate: '2027-09-01', status: 'cancelled', reportedAt: '2027-08-20T02:00:00Z' };
const DAYS = ['2026-02-15', '2026-03-01', '2026-09-30', '2026-10-01', '2027-02-28', '2027-03-01', '2027-08-31', '2027-09-01', '2028-03-01'];
const inForceDays = (terms: PolicyTerm[], statusChanges: StatusChange[]) => DAYS.filter(inForceOn({ terms, statusChanges }));

describe('whether a policy was in force on a day (inForceOn)', () => {
  it('given its terms alone, then inside either term, from its effective date to its expiry, and on no day before, between or after', () => {
    expect(inForceDays([FIRST, RENEWED], [])).toEqual(['2026-03-01', '2026-09-30', '2026-10-01', '2027-02-28', '2027-03-01', '2027-08-31', '2027-09-01']);
    expect(inForceDays([FIRST], [])).toEqual(['2026-03-01', '2026-09-30', '2026-10-01', '2027-02-28']);
  });

  it('given a lapse in the first term and a cancellation in the renewed one, then out of force from each until the renewal puts it back', () => {
    expect(inForceDays([FIRST, RENEWED], [LAPSED, CANCELLED])).toEqual(['2026-03-01', '2026-09-30', '2027-03-01', '2027-08-31']);
  });

  const facts = [FIRST, RENEWED, LAPSED, CANCELLED];
  const orders = permutations(facts);
  it(`given the terms and status changes reported in each of their ${orders.length} orders, then the same days in force`, () => {
    const business = inForceDays([FIRST, RENEWED], [LAPSED, CANCELLED]);
    for (const order of orders) {
      const terms = order.filter((f): f is PolicyTerm => 'expiryDate' in f);
      const changes = order.filter((f): f is StatusChange => 'status' in f);
      expect(inForceDays(terms, changes)).toEqual(business);
    }
  });

  it('given a cancellation dated on or before the issue\'s effective date (a cooling-off withdrawal), then in force on no day of that term', () => {
    const withdrawn: StatusChange = { effectiveDate: '2026-02-20', status: 'cancelled', reportedAt: '2026-02-21T02:00:00Z' };
    expect(inForceDays([FIRST], [withdrawn])).toEqual([]);
  });

  it('given a cancellation dated on the renewed term\'s first day, then the renewed term is in force on no day', () => {
    const declined: StatusChange = { effectiveDate: '2027-03-01', status: 'cancelled', reportedAt: '2027-02-20T02:00:00Z' };
    expect(inForceDays([RENEWED, FIRST], [declined])).toEqual(['2026-03-01', '2026-09-30', '2026-10-01', '2027-02-28']);
  });

  it('given a lapse and a reinstatement within a term, in either order, then out of force between them only', () => {
    const reinstated: StatusChange = { effectiveDate: '2027-02-01', status: 'in-force', reportedAt: '2027-02-01T02:00:00Z' };
    for (const changes of [[LAPSED, reinstated], [reinstated, LAPSED]]) {
      expect(inForceDays([FIRST], changes)).toEqual(['2026-03-01', '2026-09-30', '2027-02-28']);
    }
  });
});

describe('the status business order leaves a policy row in (currentStatus, statusOn)', () => {
  const EARLY_CANCEL: StatusChange = { effectiveDate: '2026-05-01', status: 'cancelled', reportedAt: '2027-04-10T02:00:00Z' };
  const REINSTATED: StatusChange = { effectiveDate: '2026-07-01', status: 'in-force', reportedAt: '2027-04-11T02:00:00Z' };
  const split = (order: Array<PolicyTerm | StatusChange>) => ({
    terms: order.filter((f): f is PolicyTerm => 'expiryDate' in f), statusChanges: order.filter((f): f is StatusChange => 'status' in f),
  });

  it.each([
    ['a cancellation dated before the renewed term', [FIRST, RENEWED, EARLY_CANCEL], 'in-force'],
    ['a cancellation dated in the renewed term', [FIRST, RENEWED, CANCELLED], 'cancelled'],
    ['a lapse in the first term and a cancellation in the renewed one', [FIRST, RENEWED, LAPSED, CANCELLED], 'cancelled'],
    ['a cancellation and a reinstatement in the first term', [FIRST, EARLY_CANCEL, REINSTATED], 'in-force'],
    ['a cancellation in the first term, not renewed', [FIRST, EARLY_CANCEL], 'cancelled'],
  ] as const)('given %s, in every arrival order, then the same status', (_, facts, status) => {
    for (const order of permutations<PolicyTerm | StatusChange>([...facts])) expect(currentStatus(split(order))).toBe(status);
  });

  it('given a renewal reported before its term starts, then a cancellation dated before it leaves the row in force (the renewal came after it)', () => {
    expect(currentStatus({ terms: [FIRST, RENEWED], statusChanges: [{ ...EARLY_CANCEL, effectiveDate: '2027-02-01' }] })).toBe('in-force');
  });

  it('given a cancellation in the first term and a renewal, then cancelled from the cancellation until the renewed term starts', () => {
    const life = { terms: [FIRST, RENEWED], statusChanges: [EARLY_CANCEL] };
    expect(['2026-04-30', '2026-05-01', '2027-02-28', '2027-03-01'].map((day) => statusOn(life, day))).toEqual(['in-force', 'cancelled', 'cancelled', 'in-force']);
  });
});

describe('which reported status changes the portfolio keeps (repeatsStatus)', () => {
  const EARLY_CANCEL: StatusChange = { effectiveDate: '2026-05-01', status: 'cancelled', reportedAt: '2026-05-02T02:00:00Z' };
  const EARLY_LAPSE: StatusChange = { effectiveDate: '2026-05-01', status: 'lapsed', reportedAt: '2026-05-02T02:00:00Z' };
  const REINSTATED: StatusChange = { effectiveDate: '2026-07-01', status: 'in-force', reportedAt: '2026-07-02T02:00:00Z' };
  /** The changes kept as they are reported in this order, each judged against those kept before it (as the handler does). */
  const kept = (terms: PolicyTerm[], reported: StatusChange[]) => reported.reduce<StatusChange[]>(
    (changes, change) => (repeatsStatus({ terms, statusChanges: changes }, change) ? changes : [...changes, change]), []);
  const statusByDay = (terms: PolicyTerm[], statusChanges: StatusChange[]) => DAYS.map((day) => statusOn({ terms, statusChanges }, day));
  const dated = (changes: StatusChange[]) => changes.map((c) => `${c.effectiveDate} ${c.status}`).sort();

  it.each([
    ['a cancellation', EARLY_CANCEL],
    ['a lapse', EARLY_LAPSE],
  ])('given %s and a reinstatement dated after it, reported in either order, then both kept: the same changes, status and days in force as business order', (_, termination) => {
    const business = kept([FIRST], [termination, REINSTATED]);
    const late = kept([FIRST], [REINSTATED, termination]);
    expect(dated(late)).toEqual(dated(business));
    expect(dated(business)).toEqual(dated([termination, REINSTATED]));
    expect(currentStatus({ terms: [FIRST], statusChanges: late })).toBe('in-force');
    expect(statusByDay([FIRST], late)).toEqual(statusByDay([FIRST], business));
  });

  it('given a reinstatement of a policy in force on its date, then it is kept (its termination may come after it) and changes no status on any day', () => {
    const changes = kept([FIRST, RENEWED], [REINSTATED]);
    expect(changes).toEqual([REINSTATED]);
    expect(statusByDay([FIRST, RENEWED], changes)).toEqual(statusByDay([FIRST, RENEWED], []));
    expect(inForceDays([FIRST, RENEWED], changes)).toEqual(inForceDays([FIRST, RENEWED], []));
    expect(repeatsStatus({ terms: [FIRST], statusChanges: changes }, { ...REINSTATED, reportedAt: '2026-07-03T02:00:00Z' })).toBe(true);
  });

  it('given a cancellation reported again, then it is a repeat; one dated later, the policy cancelled on its date, is kept and changes no status', () => {
    const life = { terms: [FIRST], statusChanges: [EARLY_CANCEL] };
    expect(repeatsStatus(life, EARLY_CANCEL)).toBe(true);
    expect(repeatsStatus(life, { ...EARLY_CANCEL, reportedAt: '2026-05-03T02:00:00Z' })).toBe(true);
    expect(repeatsStatus(life, { ...EARLY_CANCEL, effectiveDate: '2026-04-01' })).toBe(false);
    const later = { ...EARLY_CANCEL, effectiveDate: '2026-06-01' };
    expect(repeatsStatus(life, later)).toBe(false);
    expect(statusByDay([FIRST], [EARLY_CANCEL, later])).toEqual(statusByDay([FIRST], [EARLY_CANCEL]));
  });

  /**
   * A cancellation (1 May 2026), the reinstatement undoing it (1 July) and a second cancellation (1 September): in
   * business order the second ends the policy again. Reported while the first stood (before the reinstatement), it
   * was a repeat, dropped, and the policy read in force once the reinstatement came.
   */
  it('given a cancellation, its reinstatement and a later cancellation, reported in each of their 6 orders, then business order\'s changes and status', () => {
    const again: StatusChange = { effectiveDate: '2026-09-01', status: 'cancelled', reportedAt: '2026-09-02T02:00:00Z' };
    const business = kept([FIRST], [EARLY_CANCEL, REINSTATED, again]);
    expect(currentStatus({ terms: [FIRST], statusChanges: business })).toBe('cancelled');
    for (const order of permutations([EARLY_CANCEL, REINSTATED, again])) {
      const late = kept([FIRST], order);
      expect(dated(late)).toEqual(dated(business));
      expect(statusByDay([FIRST], late)).toEqual(statusByDay([FIRST], business));
    }
  });
});
