import { generateCreditCode, generateResidentId, seededRng } from '@lib/contracts';
import Decimal from 'decimal.js';
import { expectEventually } from './infra/expect-eventually';
import { testKafka } from './infra/kafka';
import { api, RunningSystem, startSystem } from './support/system';

/**
 * The main flows across the four services through the real Kafka broker:
 * subsidiary REST -> outbox -> Kafka -> coordination -> event store -> read models.
 */
let system: RunningSystem;
let http: ReturnType<typeof api>;
const rng = seededRng(20261122);

beforeAll(async () => {
  system = await startSystem({ kafka: true });
  http = api(system);
});
afterAll(async () => system?.stop());

async function accepted(response: Promise<{ status: number; text: string }>): Promise<void> {
  const r = await response;
  if (r.status !== 202 && r.status !== 201) throw new Error(`expected 202, got ${r.status}: ${r.text}`);
}

const agent = (agentId: string, localChannelCode: string, branchId = 'BJ-01') => ({
  agentId, name: '李娜', localChannelCode, branchId, teamId: `${branchId}-T1`, leaderId: null, joinedAt: '2026-01-05',
});

describe('a life agent cross-sells P&C motor through a referral', () => {
  const number = generateResidentId(rng, { birthDate: '1989-12-23', gender: 'M' });
  const person = (localId: string, name: string, phone: string) => ({
    localId, kind: 'person', name, gender: 'M', birthDate: '1989-12-23', identity: { type: 'RESIDENT_ID', number },
    phones: [phone], emails: [], address: '北京市淮海路197号',
  });

  // The P&C agent writes the policy and names the life agent's referral: the referrer earns the sales side.
  it('resolves one party across three subsidiaries and credits both sides', async () => {
    await accepted(http.post('life', 'life', '/v1/agents', agent('L-A-1', 'GX01')));
    await accepted(http.post('pnc', 'pnc', '/v1/agents', agent('P-A-1', 'GR', 'BJ-P1')));
    await accepted(http.post('life', 'life', '/v1/clients', person('LIFE-0000107', '徐思远', '15054360764')));
    await accepted(http.post('pnc', 'pnc', '/v1/clients', person('PNC-0000420', '徐思遠', '15054360764')));
    await accepted(http.post('group', 'group', '/v1/clients', person('GRP-0000009', '徐思源', '13911112222')));
    await accepted(http.post('life', 'life', '/v1/referrals', {
      referralId: 'R-2026-000001', clientLocalId: 'LIFE-0000107', productSubsidiary: 'pnc', productLine: 'MOTOR', referringAgentId: 'L-A-1',
    }));
    await accepted(http.post('pnc', 'pnc', '/v1/policies', {
      policyNo: 'MP-2026-000001', productCode: 'MOT01', holderLocalId: 'PNC-0000420', insuredLocalIds: ['PNC-0000420'],
      premium: { amount: '5000.00', currency: 'CNY', mode: 'ANNUAL' }, effectiveDate: '2026-03-01', expiryDate: '2027-02-28',
      sellingAgentId: 'P-A-1', servicingAgentId: 'P-A-1', localChannelCode: 'GR', referralId: 'R-2026-000001',
    }));

    const view = await expectEventually(async () => {
      const r = await http.get('coordination', 'coordinator', '/v1/clients?subsidiary=life&localId=LIFE-0000107');
      expect(r.status).toBe(200);
      expect(r.body.identities).toHaveLength(3);
      expect(r.body.holdings.map((h: { subsidiary: string; productLine: string }) => `${h.subsidiary}:${h.productLine}`)).toContain('pnc:MOTOR');
      return r.body;
    }, { timeoutMs: 60_000 });
    expect(new Set(view.identities.map((i: { subsidiary: string }) => i.subsidiary))).toEqual(new Set(['life', 'pnc', 'group']));
    expect(JSON.stringify(view)).not.toContain(number);

    // The referrer's row appears with the referral (referrals made) before the sale is credited: wait for the credit.
    const sales = await expectEventually(async () => {
      const row = await scorecardOf('agent', 'L-A-1');
      expect(new Decimal(row?.standardPremium ?? 0).gt(0)).toBe(true);
      return row;
    }, { timeoutMs: 60_000 });
    // The selling side is weighted 10% (individual-life agency selling P&C) on the standard premium.
    expect(new Decimal(sales.weightedKpiScore).toFixed(2)).toBe(new Decimal(sales.standardPremium).mul('0.10').toFixed(2));
    const product = await expectEventually(async () => {
      const row = await scorecardOf('subsidiary', 'pnc');
      expect(new Decimal(row?.productStandardPremium ?? 0).gt(0)).toBe(true);
      return row;
    });
    expect(product).toBeDefined();
  });

  it('takes the credit back from both sides when the policy is cancelled in the free-look period', async () => {
    const rules = await http.post('coordination', 'admin', '/v1/admin/credit-rules', {
      version: 'e2e-free-look', effectiveFrom: '2026-01-01',
      clawback: [
        { subsidiary: 'life', freeLookDays: 15, afterWindow: 'pro-rata-unexpired' },
        { subsidiary: 'pnc', freeLookDays: 10, afterWindow: 'pro-rata-unexpired' },
        { subsidiary: 'group', freeLookDays: 0, afterWindow: 'pro-rata-unexpired' },
      ],
    });
    expect([200, 201]).toContain(rules.status);
    await accepted(http.post('pnc', 'pnc', '/v1/policies/MP-2026-000001/cancellation', { effectiveDate: '2026-03-05', reason: '犹豫期退保 free-look cancellation' }));
    await expectEventually(async () => {
      const sales = await scorecardOf('agent', 'L-A-1');
      expect(new Decimal(sales.weightedKpiScore).toFixed(2)).toBe('0.00');
      expect(new Decimal(sales.standardPremium).toFixed(2)).toBe('0.00');
      const product = await scorecardOf('subsidiary', 'pnc');
      expect(new Decimal(product.productStandardPremium).toFixed(2)).toBe('0.00');
    }, { timeoutMs: 60_000 });
  });
});

describe('two channels register the same company for group health', () => {
  const creditCode = generateCreditCode(rng);
  const company = (localId: string) => ({ localId, kind: 'organization', name: '华达科技有限公司', creditCode, industry: 'manufacturing', size: 'medium' });

  let decisions: Awaited<ReturnType<typeof collectDecisions>> | undefined;
  afterAll(async () => decisions?.stop());

  it('opens a conflict the coordinator splits 60/40, and tells the subsidiaries', async () => {
    decisions = await collectDecisions();
    // The coordination team sends rival registrations to its queue instead of "first registration wins".
    const precedence = await http.put('coordination', 'coordinator', '/v1/admin/conflict-precedence', {
      order: ['servicing-relationship', 'strategic-account'], alwaysQueue: ['channel-quote-clash'],
    });
    expect(precedence.status).toBeLessThan(300);
    await accepted(http.post('life', 'life', '/v1/agents', agent('L-A-2', 'GX01')));
    await accepted(http.post('group', 'group', '/v1/agents', agent('G-A-2', 'TX', 'BJ-G1')));
    await accepted(http.post('life', 'life', '/v1/clients', company('LIFE-ORG-0001')));
    await accepted(http.post('group', 'group', '/v1/clients', company('GRP-ORG-0001')));
    await accepted(http.post('life', 'life', '/v1/referrals', {
      referralId: 'R-2026-000101', clientLocalId: 'LIFE-ORG-0001', productSubsidiary: 'group', productLine: 'GROUP_HEALTH', referringAgentId: 'L-A-2',
    }));
    await accepted(http.post('group', 'group', '/v1/referrals', {
      referralId: 'R-2026-000102', clientLocalId: 'GRP-ORG-0001', productSubsidiary: 'group', productLine: 'GROUP_HEALTH', referringAgentId: 'G-A-2',
    }));

    const conflict = await expectEventually(async () => {
      const r = await http.get('coordination', 'coordinator', '/v1/admin/conflicts?status=queued');
      expect(r.status).toBe(200);
      const found = r.body.items.find((c: { productLine: string }) => c.productLine === 'GROUP_HEALTH');
      expect(found).toBeDefined();
      return found;
    }, { timeoutMs: 60_000 });
    const resolution = await http.post('coordination', 'coordinator', `/v1/admin/conflicts/${conflict.conflictId ?? conflict.id}/resolution`, {
      mode: 'split', rationale: '双方共同开拓 both sides developed the account',
      shares: [{ subsidiary: 'life', agentId: 'L-A-2', pct: 60 }, { subsidiary: 'group', agentId: 'G-A-2', pct: 40 }],
    });
    expect(resolution.status).toBeLessThan(300);

    await accepted(http.post('group', 'group', '/v1/policies', {
      policyNo: 'GH-2026-000001', productCode: 'GH01', holderLocalId: 'GRP-ORG-0001', insuredLocalIds: ['GRP-ORG-0001'],
      premium: { amount: '100000.00', currency: 'CNY', mode: 'ANNUAL' }, effectiveDate: '2026-04-01', expiryDate: '2027-03-31',
      sellingAgentId: 'G-A-2', servicingAgentId: 'G-A-2', localChannelCode: 'TX', referralId: 'R-2026-000102',
    }));
    await expectEventually(async () => {
      const life = await scorecardOf('agent', 'L-A-2');
      const group = await scorecardOf('agent', 'G-A-2');
      const total = new Decimal(life.standardPremium).plus(group.standardPremium);
      expect(total.gt(0)).toBe(true);
      expect(new Decimal(life.standardPremium).div(total).toFixed(2)).toBe('0.60');
    }, { timeoutMs: 60_000 });
    await expectEventually(() => {
      const message = decisions!.find((d) => d.type === 'ConflictResolved');
      expect(message?.payload).toMatchObject({ outcome: 'split' });
    }, { timeoutMs: 60_000 });
  });
});

async function scorecardOf(level: string, beneficiaryId: string) {
  const r = await http.get('coordination', 'coordinator', `/v1/kpi/scorecards?level=${level}&period=year`);
  expect(r.status).toBe(200);
  return r.body.items.find((row: { beneficiaryId: string }) => row.beneficiaryId === beneficiaryId);
}

/** Reads coordination.decisions as a subsidiary system would. */
async function collectDecisions() {
  const consumer = testKafka('e2e-decisions').consumer({ groupId: `${system.prefix}e2e-decisions` });
  await consumer.connect();
  await consumer.subscribe({ topic: `${system.prefix}coordination.decisions`, fromBeginning: true });
  const received: Array<{ type: string; payload: Record<string, unknown> }> = [];
  await consumer.run({ eachMessage: async ({ message }) => void received.push(JSON.parse(message.value!.toString())) });
  return Object.assign(received, { stop: () => consumer.disconnect() });
}
