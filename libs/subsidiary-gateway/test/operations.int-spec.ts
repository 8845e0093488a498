import { parseSubsidiaryEvent } from '@lib/contracts';
import { accepted, agent, organization, person, policy, send } from './fixtures';
import { GatewayHarness, startGateway } from './gateway-harness';

/**
 * Every operation end to end in embedded mode (no broker): the outbox row is the output,
 * read as the coordination service would read it.
 */
describe('group service: every intake operation', () => {
  let h: GatewayHarness;
  const company = organization('GRP-C1');
  const employee = person('GRP-P1');

  beforeAll(async () => {
    h = await startGateway('group', { brokers: null });
  });

  afterAll(async () => h?.close());

  async function outboxEvent(eventId: string) {
    const [row] = await h.dataSource.query(`SELECT topic, message_key, value FROM sub_group.outbox WHERE value LIKE $1`, [`%"eventId":"${eventId}"%`]);
    const parsed = parseSubsidiaryEvent(row.value);
    if (!parsed.ok) throw new Error(`outbox holds an invalid event: ${JSON.stringify(parsed.issues)}`);
    return { topic: row.topic as string, key: row.message_key as string, event: parsed.event };
  }

  it('registers, updates and links clients; the routing key survives an update that adds an identity', async () => {
    const reg = await outboxEvent((await accepted(h, 'post', '/v1/clients', company)).eventId);
    expect(reg.topic).toBe(`${h.prefix}subsidiary.group.events`);
    expect(reg.key).toMatch(/^idh:[0-9a-f]{64}$/);
    const bare = { ...employee, identity: undefined, birthDate: undefined };
    const first = await outboxEvent((await accepted(h, 'post', '/v1/clients', bare)).eventId);
    expect(first.key).toBe('group:client:GRP-P1');
    const answer = await accepted(h, 'put', '/v1/clients/GRP-P1', employee);
    expect(answer.identity).toEqual({ type: 'RESIDENT_ID', masked: `${employee.identity.number.slice(0, 3)}***********${employee.identity.number.slice(-4)}` });
    const update = await outboxEvent(answer.eventId);
    expect(update.event.type).toBe('ClientUpdated');
    expect(update.key).toBe('group:client:GRP-P1');
    const link = await outboxEvent((await accepted(h, 'post', '/v1/relationships', { fromLocalId: 'GRP-P1', toLocalId: 'GRP-C1', kind: 'officer-of', role: 'COO' })).eventId);
    expect(link.key).toBe(first.key);
    const consent = await outboxEvent((await accepted(h, 'post', '/v1/clients/GRP-C1/consents', { scope: 'group-sharing', granted: true, at: '2026-01-02T10:00:00+08:00', source: 'paper-form' })).eventId);
    expect(consent).toMatchObject({ key: reg.key, event: { type: 'ConsentChanged', payload: { localId: 'GRP-C1' } } });
  });

  it('refuses duplicates, unknown references and a change of kind', async () => {
    expect((await send(h, 'post', '/v1/clients', company)).body.code).toBe('CLIENT_ALREADY_REGISTERED');
    expect((await send(h, 'put', '/v1/clients/GRP-C1', { ...employee, localId: 'GRP-C1' })).body.code).toBe('CLIENT_KIND_CHANGED');
    expect((await send(h, 'put', '/v1/clients/GRP-NONE', { ...company, localId: 'GRP-NONE' })).status).toBe(404);
    const link = await send(h, 'post', '/v1/relationships', { fromLocalId: 'GRP-P1', toLocalId: 'GRP-NONE', kind: 'spouse' });
    expect(link.status).toBe(422);
    expect(link.body).toMatchObject({ code: 'UNKNOWN_CLIENT', errors: [{ field: 'toLocalId' }] });
    expect((await send(h, 'post', '/v1/clients/GRP-NONE/consents', { scope: 'marketing', granted: false, at: '2026-01-02T10:00:00+08:00', source: 'app' })).status).toBe(404);
  });

  it('onboards, transfers and terminates agents; a terminated agent sells nothing', async () => {
    const onboarded = await outboxEvent((await accepted(h, 'post', '/v1/agents', agent('G-7', 'TX'))).eventId);
    expect(onboarded).toMatchObject({ key: 'group:agent:G-7', event: { payload: { channel: 'GROUP_ACCOUNT', localChannelCode: 'TX' } } });
    expect((await send(h, 'post', '/v1/agents', agent('G-7'))).body.code).toBe('AGENT_ALREADY_ONBOARDED');
    await accepted(h, 'post', '/v1/agents/G-7/transfer', { toBranchId: 'SH-02', toTeamId: 'SH-02-T1', toLeaderId: null, effectiveDate: '2026-07-01' });
    expect((await send(h, 'post', '/v1/agents/G-7/transfer', { toBranchId: 'SH-02', toTeamId: 'T', toLeaderId: 'G-7', effectiveDate: '2026-07-01' })).status).toBe(400);
    await accepted(h, 'post', '/v1/agents/G-7/termination', { effectiveDate: '2026-12-31', reason: 'resigned' });
    expect((await send(h, 'post', '/v1/agents/G-7/termination', { effectiveDate: '2026-12-31', reason: 'resigned' })).body.code).toBe('AGENT_TERMINATED');
    expect((await send(h, 'post', '/v1/agents/G-404/termination', { effectiveDate: '2026-12-31', reason: 'resigned' })).status).toBe(404);
    const sale = await send(h, 'post', '/v1/policies', policy('GP-T1', 'GRP-C1', 'G-7', 'GL01'));
    expect(sale.body).toMatchObject({ code: 'AGENT_TERMINATED', errors: [{ field: 'sellingAgentId' }] });
  });

  it('issues a group policy under the company key with its standard premium, and files referrals and activities', async () => {
    await accepted(h, 'post', '/v1/agents', agent('G-8', 'GX'));
    const issued = await outboxEvent((await accepted(h, 'post', '/v1/policies', policy('GP-1', 'GRP-C1', 'G-8', 'EA01', {
      premium: { amount: '2000000.00', currency: 'CNY', mode: 'SINGLE' }, insuredLocalIds: ['GRP-C1', 'GRP-P1'], channel: undefined, localChannelCode: 'GX',
    }))).eventId);
    expect(issued.event.payload).toMatchObject({ productLine: 'ENTERPRISE_ANNUITY', standardPremium: '200000.00', channel: 'AGENCY', localChannelCode: 'GX' });
    const referral = await outboxEvent((await accepted(h, 'post', '/v1/referrals', {
      referralId: 'R-G-1', clientLocalId: 'GRP-C1', productSubsidiary: 'pnc', productLine: 'COMMERCIAL_PROPERTY', referringAgentId: 'G-8',
    })).eventId);
    expect(referral.key).toBe(issued.key);
    expect((await send(h, 'post', '/v1/referrals', { referralId: 'R-G-1', clientLocalId: 'GRP-C1', productSubsidiary: 'pnc', productLine: 'MOTOR', referringAgentId: 'G-8' })).body.code).toBe('REFERRAL_ALREADY_REGISTERED');
    const visit = await outboxEvent((await accepted(h, 'post', '/v1/activities', { activityId: 'ACT-1', agentId: 'G-8', kind: 'seminar', at: '2026-02-01T14:00:00+08:00' })).eventId);
    expect(visit.key).toBe('group:agent:G-8');
    const quote = await send(h, 'post', '/v1/activities', { activityId: 'ACT-2', agentId: 'G-8', clientLocalId: 'GRP-C1', kind: 'quote', at: '2026-02-01T15:00:00+08:00', productLine: 'GROUP_HEALTH', quotedPrice: '180000.00' });
    expect((await outboxEvent(quote.body.eventId)).key).toBe(issued.key);
    expect((await send(h, 'post', '/v1/claims', { claimNo: 'GC-1', policyNo: 'GP-NONE', reportedAt: '2026-03-01T09:00:00+08:00', amountClaimed: '0.00' })).body.code).toBe('UNKNOWN_POLICY');
    expect((await send(h, 'post', '/v1/claims/GC-404/settlement', { policyNo: 'GP-1', settledAt: '2026-03-01T09:00:00+08:00', amountPaid: '0.00' })).status).toBe(404);
  });

  it('refuses a product code of another subsidiary and a premium mode the product does not offer', async () => {
    expect((await send(h, 'post', '/v1/policies', policy('GP-2', 'GRP-C1', 'G-8', 'WL20'))).body).toMatchObject({ code: 'UNKNOWN_PRODUCT_CODE', productCode: 'WL20' });
    expect((await send(h, 'post', '/v1/policies', policy('GP-3', 'GRP-C1', 'G-8', 'GH02', { premium: { amount: '10.00', currency: 'CNY', mode: 'MONTHLY' } }))).body.code).toBe('PREMIUM_MODE_NOT_OFFERED');
  });
});
