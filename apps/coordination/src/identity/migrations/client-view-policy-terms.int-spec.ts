import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { ClientEvents } from '../testing/client-events';
import { startIdentityApp, type IdentityTestApp } from '../testing/identity-app';
import { appendPolicyEvent, policyRecorded } from '../testing/portfolio-events';
import type { PolicyEvent, PolicyFact } from '../projections/policy-fold';
import { ClientViewPolicyTerms1767300100002 } from './1767300100002-client-view-policy-terms';

jest.setTimeout(120_000);

/**
 * A deployment whose view folded policies before terms were kept: its rows hold the premium as the
 * reports arrived and no terms or endorsements. The migration fills them from the recorded events, and
 * the rows then read as the projection now folds the same events.
 */
describe('migration 1767300100002: the view\'s folded policies get their terms and endorsements from the stored events', () => {
  let db: TestDatabase;
  let t: IdentityTestApp;
  const events = new ClientEvents();
  const policies = async (): Promise<Array<{ policy_no: string; policy: PolicyFact }>> =>
    t.dataSource.query('SELECT policy_no, policy FROM coordination.client_view_policies ORDER BY policy_no');

  beforeAll(async () => {
    db = await createTestDatabase('view_policy_terms');
    t = await startIdentityApp(db.url);
    await t.feed(events.registered('life', 'LIFE-0000700', { name: '周强', phones: ['13800007777'] }));
    const partyId = (await t.partyOf('life', 'LIFE-0000700'))!;
    const common = { subsidiary: 'life' as const, partyId };
    const endorsed = (policyNo: string, effectiveDate: string, premiumDelta: string, standardPremiumDelta: string | null): PolicyEvent => ({
      type: 'PolicyEndorsementRecorded', data: { ...common, policyNo, endorsementNo: null, effectiveDate, premiumDelta, standardPremiumDelta, reason: 'r' },
    });
    const renewed = (policyNo: string, amount: string, standardPremium: string | null): PolicyEvent => ({
      type: 'PolicyRenewalRecorded',
      data: { ...common, policyNo, newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: { amount, currency: 'CNY', mode: 'MONTHLY' }, standardPremium, servicingAgentId: 'A-1' },
    });
    // With a catalogue figure: renewed, then an endorsement of the first term and one of the second arrive.
    await appendPolicyEvent(t.store, policyRecorded('life', 'LP-1', partyId, 'LIFE-0000700', { premium: { amount: '1000.00', currency: 'CNY', mode: 'MONTHLY' }, standardPremium: '12000.00' }));
    await appendPolicyEvent(t.store, renewed('LP-1', '1100.00', '13200.00'));
    await appendPolicyEvent(t.store, endorsed('LP-1', '2026-06-01', '100.00', '1200.00'));
    await appendPolicyEvent(t.store, endorsed('LP-1', '2027-06-01', '-50.00', null));
    // Without one, and not renewed: an endorsement dated after the term's end changes nothing yet.
    await appendPolicyEvent(t.store, policyRecorded('life', 'LP-2', partyId, 'LIFE-0000700', { premium: { amount: '500.00', currency: 'CNY', mode: 'QUARTERLY' }, standardPremium: null }));
    await appendPolicyEvent(t.store, endorsed('LP-2', '2026-04-01', '20.00', null));
    await appendPolicyEvent(t.store, endorsed('LP-2', '2027-04-01', '30.00', null));
    await t.settle();
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('then each row equals what the projection folded, terms, endorsements and current premium', async () => {
    const folded = await policies();
    expect(folded.map((r) => [r.policy_no, r.policy.effectiveDate, r.policy.premium.amount, r.policy.standardPremium, r.policy.endorsements.length])).toEqual([
      ['LP-1', '2027-03-01', '1050.00', '13200.00', 2],
      ['LP-2', '2026-03-01', '520.00', null, 2],
    ]);
    // As the previous fold left them: every endorsement added to the premium the policy had when it arrived.
    await t.dataSource.query(`UPDATE coordination.client_view_policies SET policy = policy - 'terms' - 'endorsements'
      || jsonb_build_object('premium', jsonb_set(policy->'premium', '{amount}', '"9.99"'), 'standardPremium', '1.00')`);
    const runner = t.dataSource.createQueryRunner();
    try {
      await new ClientViewPolicyTerms1767300100002().up(runner);
    } finally {
      await runner.release();
    }
    expect(await policies()).toEqual(folded);
  });
});
