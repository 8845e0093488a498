import { AppError } from '@lib/platform';
import { randomUUID } from 'node:crypto';
import { IntakeService, type IntakeRequest } from '../src';
import { accepted, agent, person, policy } from './fixtures';
import { GatewayHarness, startGateway } from './gateway-harness';

/**
 * Group commit: requests submitted together share one transaction (seen as one tx_id on
 * their outbox rows), each keeps its own answer, and a refused one leaves nothing behind.
 * Embedded mode (no broker): the outbox rows are the output.
 */
describe('life service: group commit of intake requests', () => {
  let h: GatewayHarness;
  let intake: IntakeService;
  const holder = person('LIFE-GC-1');

  beforeAll(async () => {
    h = await startGateway('life', { brokers: null });
    intake = h.app.get(IntakeService);
    await accepted(h, 'post', '/v1/agents', agent('A-GC', 'GX01'));
    await accepted(h, 'post', '/v1/clients', holder);
  });

  afterAll(async () => h?.close());

  const issue = (body: unknown, idempotencyKey: string = randomUUID()): IntakeRequest => ({
    operation: 'IssuePolicy', target: null, body, idempotencyKey, principalId: 'test', correlationId: randomUUID(),
  });
  const newPolicy = (policyNo: string, extra: Record<string, unknown> = {}) => policy(policyNo, holder.localId, 'A-GC', 'WL20', { channel: undefined, localChannelCode: 'GX01', ...extra });

  /** Submits all at once (one batch) and reports each as a status and code. */
  async function together(requests: IntakeRequest[]) {
    const settled = await Promise.allSettled(requests.map((r) => intake.submit(r)));
    return settled.map((s) => {
      if (s.status === 'fulfilled') return { status: s.value.statusCode, replayed: s.value.replayed, eventId: s.value.body.eventId };
      if (s.reason instanceof AppError) return { status: s.reason.status, code: s.reason.code };
      throw s.reason;
    });
  }

  const txIds = async (eventIds: string[]) =>
    (await h.dataSource.query(`SELECT DISTINCT tx_id::text AS tx FROM sub_life.outbox WHERE headers->>'x-event-id' = ANY($1::text[])`, [eventIds]))
      .map((r: { tx: string }) => r.tx);
  const keyRows = async (keys: string[]) =>
    Number((await h.dataSource.query(`SELECT count(*)::int AS n FROM sub_life.idempotency_keys WHERE key = ANY($1::text[])`, [keys]))[0].n);

  it('writes requests that arrive together in one transaction, one outbox row each', async () => {
    const answers = await together(Array.from({ length: 5 }, (_, i) => issue(newPolicy(`LP-GC-A${i}`))));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    const eventIds = answers.map((a) => a.eventId!);
    expect(new Set(eventIds).size).toBe(5);
    expect(await txIds(eventIds)).toHaveLength(1);
  });

  it('answers each refused request alone, writes nothing for it, commits the rest and frees the refused keys', async () => {
    const earlier = newPolicy('LP-GC-B0');
    const earlierKey = randomUUID();
    await intake.submit(issue(earlier, earlierKey));
    const unknownHolderKey = randomUUID();
    const duplicateNoKey = randomUUID();
    const answers = await together([
      issue(newPolicy('LP-GC-B1')),
      issue({ ...newPolicy('LP-GC-B2'), holderLocalId: 'LIFE-NOBODY', insuredLocalIds: ['LIFE-NOBODY'] }, unknownHolderKey),
      issue(newPolicy('LP-GC-B0', { effectiveDate: '2026-04-01' }), duplicateNoKey),
      issue(earlier, earlierKey),
      issue(newPolicy('LP-GC-B3'), earlierKey),
      issue(newPolicy('LP-GC-B4')),
    ]);
    expect(answers.map((a) => a.code ?? a.status)).toEqual([202, 'UNKNOWN_CLIENT', 'POLICY_ALREADY_ISSUED', 202, 'IDEMPOTENCY_KEY_REUSED', 202]);
    expect(answers[3].replayed).toBe(true);
    expect(await txIds([answers[0].eventId!, answers[5].eventId!])).toHaveLength(1);
    expect(await keyRows([unknownHolderKey, duplicateNoKey])).toBe(0);
    expect(await h.count(`policies WHERE policy_no IN ('LP-GC-B2', 'LP-GC-B3')`)).toBe(0);
    const corrected = await intake.submit(issue(newPolicy('LP-GC-B2'), unknownHolderKey));
    expect(corrected.statusCode).toBe(202);
  });

  it('rolls back a batch in which a refused request had written, then commits the others without it', async () => {
    // Accepted by the request schema, but its standard premium (x12 instalments) overflows
    // the event's money format: refused only after the policy row was inserted.
    const overflowKey = randomUUID();
    const overflow = newPolicy('LP-GC-C0', { premium: { amount: '999999999999999.00', currency: 'CNY', mode: 'MONTHLY' } });
    const answers = await together([issue(newPolicy('LP-GC-C1')), issue(overflow, overflowKey), issue(newPolicy('LP-GC-C2'))]);
    expect(answers.map((a) => a.code ?? a.status)).toEqual([202, 'EVENT_CONTRACT_VIOLATION', 202]);
    expect(await h.count(`policies WHERE policy_no = 'LP-GC-C0'`)).toBe(0);
    expect(await keyRows([overflowKey])).toBe(0);
    expect(await h.count(`policies WHERE policy_no IN ('LP-GC-C1', 'LP-GC-C2')`)).toBe(2);
    expect(await txIds([answers[0].eventId!, answers[2].eventId!])).toHaveLength(1);
  });

  it('finds a client registered earlier in the same batch, though the batch read its references before', async () => {
    // The batch's first statement reads the referenced clients and agents; a policy whose
    // holder is not among them asks again, after the registration in front of it was written.
    const newcomer = person('LIFE-GC-NEW');
    const registration: IntakeRequest = {
      operation: 'RegisterClient', target: null, body: newcomer, idempotencyKey: randomUUID(), principalId: 'test', correlationId: randomUUID(),
    };
    const answers = await together([
      registration,
      issue(policy('LP-GC-F0', newcomer.localId, 'A-GC', 'WL20', { channel: undefined, localChannelCode: 'GX01' })),
      issue(newPolicy('LP-GC-F1')),
    ]);
    expect(answers.map((a) => a.code ?? a.status)).toEqual([202, 202, 202]);
    expect(await txIds(answers.map((a) => a.eventId!))).toHaveLength(1);
  });

  it('lets one of many concurrent duplicates of a key write and answers them all alike', async () => {
    const key = randomUUID();
    const body = newPolicy('LP-GC-D0');
    const answers = await together(Array.from({ length: 4 }, () => issue(body, key)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.eventId)).size).toBe(1);
    expect(answers.filter((a) => a.replayed)).toHaveLength(3);
    expect(await h.count(`outbox WHERE headers->>'x-event-id' = '${answers[0].eventId}'`)).toBe(1);
  });

  it('lets one of concurrent requests for one policy number with different keys win', async () => {
    const answers = await together(Array.from({ length: 4 }, () => issue(newPolicy('LP-GC-E0'))));
    expect(answers.map((a) => a.code ?? a.status).sort()).toEqual([202, 'POLICY_ALREADY_ISSUED', 'POLICY_ALREADY_ISSUED', 'POLICY_ALREADY_ISSUED'].sort());
  });
});
