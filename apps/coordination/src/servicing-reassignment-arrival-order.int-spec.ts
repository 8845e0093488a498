import { COORDINATION_EVENT_NAMESPACE, deterministicEventId, type EventType } from '@lib/contracts';
import { ApiKeyStore } from '@lib/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { TestDatabase } from '../../../test/infra/postgres';
import { CONFLICTS_SERVICING_REJUDGEMENT, type ServicingRejudgementPort } from './conflicts/conflicts.ports';
import { company, policy, referral } from './conflicts/testing/harness';
import { CLOCK, type Clock } from './infrastructure/tokens';
import { dispatchReplayed, startWholeApp, subsidiaryEvent } from './testing/whole-app-feed';
import { permutations } from '../../../test/support/permutations';

/**
 * A coordinator's reassignment over REST is effective the day it is made: from then a top-strategic
 * client's relationship team is the new servicing agent, also for approaches dated that day or later that
 * arrived before it. The client holds 600k a year of life cover (top-strategic on its own) serviced by
 * agent X; on 1 June 2026 (the clock, 10:00) a coordinator hands it to agent Y. Y refers the client to P&C
 * in March (X is the team: a conflict, X's), X on 1 June at 09:30 (Y is the team that day: a conflict,
 * Y's) and Y in July (Y is the team: none). The policy and the four facts arrive in every order with the
 * policy before the reassignment (X's book holds it only then): 60 orders, each on its own client and
 * policy; business order is the policy, March, the reassignment (from the start of its day), June, July.
 */
jest.setTimeout(900_000);

type Fact = 'PL' | 'REASSIGN' | 'R-MAR-Y' | 'R-JUN-X' | 'R-JUL-Y';

const T0 = '2025-01-02T09:00:00+08:00';
const X = 'A-1001';
const Y = 'A-1002';
const MADE_AT = new Date('2026-06-01T10:00:00+08:00');
const BUSINESS_ORDER = 'PL → R-MAR-Y → REASSIGN → R-JUN-X → R-JUL-Y';
const EXPECTED = [
  `strategic-account RJ auto-resolved: award ${Y} 100.00`,
  `strategic-account RM auto-resolved: award ${X} 100.00`,
  `serviced by ${Y}`,
];

const client = (n: number) => `LIFE-ORG-C${n}`;
const policyNo = (n: number) => `PL-C${n}`;
const lifeAgent = (agentId: string) => ({ agentId, name: '测试员', channel: 'AGENCY', branchId: 'BJ-01', teamId: 'BJ-01-T1', leaderId: null, joinedAt: '2025-01-02' });

describe("a coordinator's reassignment over REST against approaches dated on or after its day, in every arrival order", () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let coordinatorKey: string;
  const outcomes = new Map<string, string[]>();
  const resent = new Map<string, { status: number; code: string; standing: string[] }>();
  const toldAgain = new Map<string, { appended: number; standing: string[] }>();

  const reassign = (n: number) =>
    request(app.getHttpServer()).post(`/v1/admin/agents/${X}/reassignment`).set('X-Api-Key', coordinatorKey)
      .send({ toAgentId: Y, policyNos: [policyNo(n)], reason: 'the client asked for Y' });

  async function play(fact: Fact, n: number): Promise<void> {
    const send = (type: EventType, payload: object, at: string) => dispatchReplayed(app, subsidiaryEvent(type, 'life', payload, at, 'reassign'));
    const register = (id: string, line: string, agentId: string, at: string) => send('ReferralRegistered', referral(`${id}-C${n}`, client(n), 'pnc', line, agentId, at), at);
    switch (fact) {
      case 'PL': return send('PolicyIssued', {
        ...policy(policyNo(n), client(n), 'LIFE_WHOLE', X, X, 'AGENCY', null),
        premium: { amount: '600000.00', currency: 'CNY', mode: 'ANNUAL' }, effectiveDate: '2025-06-01', expiryDate: '2026-12-31',
      }, '2025-05-28T10:00:00+08:00');
      case 'REASSIGN': {
        const answer = await reassign(n);
        if (answer.status !== 200) throw new Error(`reassignment answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        return;
      }
      case 'R-MAR-Y': return register('RM', 'HOME', Y, '2026-03-12T09:00:00+08:00');
      case 'R-JUN-X': return register('RJ', 'MOTOR', X, '2026-06-01T09:30:00+08:00');
      case 'R-JUL-Y': return register('RL', 'COMMERCIAL_PROPERTY', Y, '2026-07-10T09:00:00+08:00');
    }
  }

  /** The conflicts standing for the order's client: what raised each, its status and decision, and who services its policy now (the order's suffix left out). */
  async function standing(n: number): Promise<string[]> {
    const ds = app.get(DataSource);
    const [{ party_id: partyId }] = await ds.query('SELECT party_id FROM coordination.party_links WHERE subsidiary = $1 AND local_id = $2', ['life', client(n)]);
    const rows: Array<{ kind: string; referral_ids: string[]; status: string; decided: string | null }> = await ds.query(
      `SELECT kind, referral_ids, status,
              decision->>'mode' || ' ' || (SELECT string_agg(s->>'agentId' || ' ' || (s->>'pct'), ',') FROM jsonb_array_elements(decision->'shares') s) AS decided
         FROM coordination.conflict_index WHERE status <> 'superseded' AND party_id = $1 ORDER BY 1, 2`,
      [partyId],
    );
    const [{ servicer }] = await ds.query('SELECT servicing_agent_id AS servicer FROM coordination.policies WHERE subsidiary = $1 AND policy_no = $2', ['life', policyNo(n)]);
    const plain = (text: string) => text.replaceAll(`-C${n}`, '');
    return [...rows.map((r) => plain(`${r.kind} ${r.referral_ids.join(',')} ${r.status}: ${r.decided}`)).sort(), `serviced by ${servicer}`];
  }

  /** Conflicts told once more of the policy's change, as a retried writer would: the events it appends. */
  async function tellAgain(n: number): Promise<number> {
    const ds = app.get(DataSource);
    const count = async () => Number((await ds.query('SELECT count(*)::int AS n FROM event_store.events'))[0].n);
    const before = await count();
    const [{ party_id: partyId }] = await ds.query('SELECT party_id::text FROM coordination.policies WHERE subsidiary = $1 AND policy_no = $2', ['life', policyNo(n)]);
    // A request of its own (ids of its own): what the port appends is what this call changed.
    const requestId = randomUUID();
    const metadata = { correlationId: `again-${n}`, causationId: null, actor: 'test', occurredAt: MADE_AT.toISOString(), source: { kind: 'admin' as const } };
    await ds.transaction((manager) => app.get<ServicingRejudgementPort>(CONFLICTS_SERVICING_REJUDGEMENT).servicingChanged(
      [{ subsidiary: 'life', policyNo: policyNo(n), partyId }], { manager, metadata, eventId: (...q) => deterministicEventId(COORDINATION_EVENT_NAMESPACE, requestId, ...q) },
    ));
    return (await count()) - before;
  }

  beforeAll(async () => {
    ({ db, app } = await startWholeApp('reassign_as_of'));
    jest.spyOn(app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(MADE_AT));
    coordinatorKey = (await app.get(ApiKeyStore).create({ name: 'coordinator', role: 'coordinator', createdBy: 'test' })).key;
    for (const id of [X, Y]) await dispatchReplayed(app, subsidiaryEvent('AgentOnboarded', 'life', lifeAgent(id), T0, 'reassign'));
    const orders = permutations<Fact>(['PL', 'R-MAR-Y', 'REASSIGN', 'R-JUN-X', 'R-JUL-Y']).filter((o) => o.indexOf('PL') < o.indexOf('REASSIGN'));
    for (const [n, order] of orders.entries()) {
      await dispatchReplayed(app, subsidiaryEvent('ClientRegistered', 'life', company(client(n), 3000 + n), T0, 'reassign'));
      for (const fact of order) await play(fact, n);
      const key = order.join(' → ');
      outcomes.set(key, await standing(n));
      // Sent again, the reassignment finds the policy no longer in X's book and changes nothing.
      const again = await reassign(n);
      resent.set(key, { status: again.status, code: again.body.code, standing: await standing(n) });
      toldAgain.set(key, { appended: await tellAgain(n), standing: await standing(n) });
    }
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
    await db?.drop();
  });

  it('then each registration meets the team of its own day: Y\'s March one X, X\'s June one Y, Y\'s July one none, whatever arrived first', () => {
    expect(outcomes.size).toBe(60);
    expect(outcomes.get(BUSINESS_ORDER)).toEqual(EXPECTED);
    const differing = [...outcomes].filter(([, outcome]) => JSON.stringify(outcome) !== JSON.stringify(EXPECTED));
    expect({ differing: differing.length, orders: differing.map(([order, outcome]) => `${order}: ${outcome.join('; ')}`) }).toEqual({ differing: 0, orders: [] });
  });

  it('and a re-sent reassignment is refused (the policy left X\'s book), and conflicts told the change again append nothing', () => {
    const changed = [...resent].filter(([order, r]) => r.status !== 404 || r.code !== 'NO_POLICIES_TO_REASSIGN' || JSON.stringify(r.standing) !== JSON.stringify(outcomes.get(order)));
    expect(changed.map(([order, r]) => `${order}: ${r.status} ${r.code} ${r.standing.join('; ')}`)).toEqual([]);
    const doubled = [...toldAgain].filter(([order, r]) => r.appended !== 0 || JSON.stringify(r.standing) !== JSON.stringify(outcomes.get(order)));
    expect(doubled.map(([order, r]) => `${order}: ${r.appended} events; ${r.standing.join('; ')}`)).toEqual([]);
  });
});
