import { createEvent, type EventType, type SubsidiaryEvent } from '@lib/contracts';
import { comparePositions, type EventStore } from '@lib/event-store';
import { isPoison } from '@lib/messaging';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/infra/postgres';
import { createCoordinationApp } from './coordination-app';
import { agent, company, policy, referral } from './conflicts/testing/harness';
import { CreditLinesProjection } from './crediting/projections/credit-lines.projection';
import { TEST_HMAC_KEY } from './identity/testing/identity-app';
import { InboundRouter } from './infrastructure/inbound/inbound-router';
import { checkpointOf } from './infrastructure/projections/projection.types';
import { EVENT_STORE } from './infrastructure/tokens';

/**
 * Kafka keeps order per partition only. One set of events (same ids), fed to the whole coordination
 * pipeline in three orders that keep each partition's order but interleave them differently, must
 * leave the same conflicts (ids aside), credit lines and servicing agents.
 */
jest.setTimeout(180_000);

type Sub = 'life' | 'pnc' | 'group';
const event = (type: EventType, subsidiary: Sub, payload: object, occurredAt: string): SubsidiaryEvent => {
  const built = createEvent({ type, eventId: randomUUID(), subsidiary, occurredAt, correlationId: `order-${type}`, payload });
  if (!built.ok) throw new Error(`bad test event ${type}: ${JSON.stringify(built.issues)}`);
  return built.event as SubsidiaryEvent;
};

const T0 = '2026-02-20T09:00:00+08:00';
const pncAgent = (id: string, leader: string | null) => ({ ...agent(id, 'AGENCY'), branchId: 'P-B1', teamId: 'P-T1', leaderId: leader });
const setup = [
  event('ClientRegistered', 'life', company('LIFE-ORG', 7), T0),
  event('ClientRegistered', 'pnc', company('PNC-ORG', 7), T0),
  event('ClientRegistered', 'group', company('GRP-ORG', 7), T0),
  event('AgentOnboarded', 'life', agent('A-1001', 'AGENCY'), T0),
  event('AgentOnboarded', 'group', agent('G-3001', 'GROUP_ACCOUNT'), T0),
  event('AgentOnboarded', 'pnc', pncAgent('P-2000', null), T0),
  event('AgentOnboarded', 'pnc', pncAgent('P-2001', 'P-2000'), T0),
];
// A life agent registers the client for P&C motor; P&C sells it (converting that registration);
// later the group registers the same client and line; the P&C servicing agent leaves in June.
const R1 = event('ReferralRegistered', 'life', referral('R-1', 'LIFE-ORG', 'pnc', 'MOTOR', 'A-1001', '2026-03-01T09:00:00+08:00'), '2026-03-01T09:00:00+08:00');
const P1 = event('PolicyIssued', 'pnc', { ...policy('PM-1', 'PNC-ORG', 'MOTOR', 'P-2001', 'P-2001', 'AGENCY', 'R-1'), effectiveDate: '2026-03-06' }, '2026-03-05T10:00:00+08:00');
const R2 = event('ReferralRegistered', 'group', referral('R-2', 'GRP-ORG', 'pnc', 'MOTOR', 'G-3001', '2026-03-10T09:00:00+08:00'), '2026-03-10T09:00:00+08:00');
const LEAVES = event('AgentTerminated', 'pnc', { agentId: 'P-2001', effectiveDate: '2026-06-30', reason: 'resigned' }, '2026-06-30T18:00:00+08:00');

const ORDERS: Record<string, SubsidiaryEvent[]> = {
  'business order': [R1, P1, R2, LEAVES],
  'group and agents first': [LEAVES, R2, R1, P1],
  'policy first (waits for its referral)': [P1, LEAVES, R2, R1],
};

async function outcomeOf(order: SubsidiaryEvent[]) {
  const db: TestDatabase = await createTestDatabase('arrival_order');
  process.env.INBOUND_DISABLED = '1';
  process.env.SCHEDULER_DISABLED = '1';
  const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', IDENTITY_HMAC_KEY: TEST_HMAC_KEY, DATABASE_POOL_SIZE: '4' };
  const { app } = await createCoordinationApp({ env, logger: false });
  await app.init();
  try {
    for (const e of [...setup, ...order]) await feed(app, e);
    await creditLinesSettled(app);
    return await snapshot(app.get(DataSource));
  } finally {
    await app.close();
    await db.drop();
  }
}

async function feed(app: NestFastifyApplication, e: SubsidiaryEvent): Promise<void> {
  const source = { kind: 'replay' as const, topic: `subsidiary.${e.subsidiary}.events`, partition: 0, offset: '0' };
  for (let attempt = 1; ; attempt++) {
    try {
      return await app.get(DataSource).transaction((m) => app.get(InboundRouter).dispatch(e, source, m, 0));
    } catch (error) {
      if (isPoison(error) || attempt >= 5) throw error;
    }
  }
}

/** The credit-lines projection has applied the newest ledger line event. */
async function creditLinesSettled(app: NestFastifyApplication): Promise<void> {
  const ds = app.get(DataSource);
  const store = app.get<EventStore>(EVENT_STORE);
  const projection = app.get(CreditLinesProjection);
  const [row] = await ds.query(
    `SELECT stream_id, stream_revision::text AS revision FROM event_store.events
      WHERE type = ANY($1::text[]) AND starts_with(stream_id, $2) ORDER BY tx_id DESC, global_position DESC LIMIT 1`,
    [projection.types, projection.streamPrefix],
  );
  expect(row).toBeDefined();
  const [newest] = await store.readStream(row.stream_id, { from: BigInt(row.revision), maxCount: 1 });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const checkpoint = await store.getCheckpoint(checkpointOf(projection));
    if (checkpoint && comparePositions(checkpoint, newest.globalPosition) >= 0) return;
    if (Date.now() > deadline) throw new Error(`credit-lines projection at ${checkpoint}, still before ${newest.globalPosition}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Conflicts that stand (ids and the party's generated id left out), credit lines and servicing agents. */
async function snapshot(ds: DataSource) {
  const conflicts: Array<{ kind: string; status: string; referral_ids: string[]; decision: Record<string, unknown> | null }> = await ds.query(
    `SELECT kind, product_line, status, referral_ids, decision FROM coordination.conflict_index WHERE status <> 'superseded' ORDER BY kind, referral_ids`,
  );
  return {
    conflicts: conflicts.map(({ decision, ...c }) => {
      const { conflictId: _id, partyId: _party, decidedAt: _at, ...rest } = (decision ?? {}) as Record<string, unknown>;
      return { ...c, decision: decision ? rest : null };
    }),
    lines: await ds.query(
      `SELECT policy_no, transaction_kind, kind, side, level, beneficiary_id, standard_premium::text, weighted_credit::text
         FROM coordination.credit_lines ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
    ),
    servicing: await ds.query('SELECT subsidiary, policy_no, servicing_agent_id FROM coordination.policies ORDER BY 1, 2'),
    pending: await ds.query('SELECT subsidiary, policy_no, from_agent_id FROM coordination.credit_pending_reassignments ORDER BY 1, 2'),
    referrals: await ds.query('SELECT referral_id, status, policy_no FROM coordination.referral_index ORDER BY 1'),
  };
}

describe('the same events in different cross-partition orders', () => {
  it('give the same conflicts, credit lines and servicing agents', async () => {
    const outcomes: Record<string, Awaited<ReturnType<typeof outcomeOf>>> = {};
    for (const [name, order] of Object.entries(ORDERS)) outcomes[name] = await outcomeOf(order);
    const reference = outcomes['business order'];
    // Judged as of its filing, R-2 meets P&C's servicing agent, not R-1 (converted by then); the servicer keeps the client.
    expect(reference.conflicts).toEqual([
      expect.objectContaining({ kind: 'servicing-relationship', status: 'auto-resolved', referral_ids: ['R-2'], decision: expect.objectContaining({ mode: 'award' }) }),
    ]);
    expect(reference.conflicts[0].decision).toMatchObject({ shares: [{ subsidiary: 'pnc', agentId: 'P-2001', pct: '100.00' }] });
    expect(reference.servicing).toEqual([{ subsidiary: 'pnc', policy_no: 'PM-1', servicing_agent_id: 'P-2000' }]);
    expect(reference.lines.some((l: { beneficiary_id: string }) => l.beneficiary_id === 'A-1001')).toBe(true);
    for (const [name, outcome] of Object.entries(outcomes)) expect({ order: name, ...outcome }).toEqual({ order: name, ...reference });
  });
});
