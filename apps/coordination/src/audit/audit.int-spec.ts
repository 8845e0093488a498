import type { NewEvent, RecordedEvent } from '@lib/event-store';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expectEventually } from '../../../../test/infra/expect-eventually';
import { createTestDatabase, type TestDatabase } from '../../../../test/infra/postgres';
import { assertEveryRouteIsGuarded } from '../../../../test/security/route-guard';
import { encodePosition } from '@lib/event-store/position';
import { checkpointOf } from '../infrastructure/projections/projection.types';
import { startAuditTestApp, type AuditTestApp } from './testing/audit-test-app';
import { BOOK, POLICY_TYPES, TOTALS } from './testing/test-projections';

jest.setTimeout(120_000);

let db: TestDatabase;
let t: AuditTestApp;
const http = () => request(t.app.getHttpServer());
const as = (role: 'auditor' | 'admin' | 'coordinator') => ({ 'X-Api-Key': t.keys[role] });

/** A small seeded generator: the history is random but a failure can be replayed from the printed seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const policyEvent = (type: string, data: Record<string, unknown>, correlationId?: string): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: correlationId ? { correlationId } : {},
});

/** Appends a random portfolio history: policies recorded, renewed, cancelled and reinstated, several writers at once. */
async function randomHistory(seed: number, policies: number, steps: number): Promise<void> {
  const random = prng(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const recorded: Array<{ sub: string; no: string; party: string; status: string }> = [];
  for (let step = 0; step < steps; step += 4) {
    const batch = Array.from({ length: 4 }, () => {
      if (recorded.length < policies && (recorded.length === 0 || random() < 0.4)) {
        const p = { sub: pick(['life', 'pnc', 'group']), no: `P-${seed}-${recorded.length}`, party: `00000000-0000-4000-8000-00000000000${Math.floor(random() * 5)}`, status: 'in-force' };
        recorded.push(p);
        const premium = { amount: (100 + Math.floor(random() * 9900)).toFixed(2), currency: 'CNY', mode: 'ANNUAL' };
        return { streamId: `policy-${p.sub}-${p.no}`, events: [policyEvent('PolicyRecorded', { subsidiary: p.sub, policyNo: p.no, partyId: p.party, premium })] };
      }
      const p = pick(recorded);
      if (random() < 0.5) {
        const premium = { amount: (100 + Math.floor(random() * 9900)).toFixed(2), currency: 'CNY', mode: 'ANNUAL' };
        return { streamId: `policy-${p.sub}-${p.no}`, events: [policyEvent('PolicyRenewalRecorded', { subsidiary: p.sub, policyNo: p.no, partyId: p.party, premium })] };
      }
      const to = p.status === 'in-force' ? pick(['cancelled', 'lapsed']) : 'in-force';
      const from = p.status;
      p.status = to;
      return { streamId: `policy-${p.sub}-${p.no}`, events: [policyEvent('PolicyStatusChanged', { subsidiary: p.sub, policyNo: p.no, partyId: p.party, from, to })] };
    });
    // Different streams concurrently: transactions interleave on $all as in production.
    const byStream = new Map<string, NewEvent[]>();
    for (const b of batch) byStream.set(b.streamId, [...(byStream.get(b.streamId) ?? []), ...b.events]);
    await Promise.all([...byStream].map(([streamId, events]) => t.store.append(streamId, events)));
  }
}

const TYPES_OF: Record<string, string[]> = {
  'policy-book': POLICY_TYPES,
  'client-view': POLICY_TYPES,
  'audit-access-log': ['ClientViewRead', 'AuditRead'],
};

/** The position of the newest event of these types stored so far. */
async function lastPositionOf(types: string[]): Promise<string> {
  const [row] = await t.dataSource.query(
    `SELECT tx_id::text AS tx, global_position::text AS gp FROM event_store.events WHERE type = ANY ($1) ORDER BY tx_id DESC, global_position DESC LIMIT 1`,
    [types],
  );
  return encodePosition(row.tx, row.gp);
}

/** Polls until each projection's checkpoint has passed every event of its types stored before the call. */
async function caughtUp(...projections: string[]): Promise<void> {
  const targets = await Promise.all(projections.map(async (name) => [name, await lastPositionOf(TYPES_OF[name])] as const));
  await expectEventually(async () => {
    for (const [name, position] of targets) expect(((await t.store.getCheckpoint(checkpointOf({ name }))) ?? '') >= position).toBe(true);
  });
}

beforeAll(async () => {
  db = await createTestDatabase('audit');
  t = await startAuditTestApp(db.url);
});

afterAll(async () => {
  await t?.app.close();
  await db?.drop();
});

describe('rebuilding read models from the event store', () => {
  const seed = Number(process.env.AUDIT_SEED ?? Date.now() % 100_000);

  beforeAll(async () => {
    process.stdout.write(`audit rebuild history seed ${seed} (AUDIT_SEED=${seed} replays it)\n`);
    await randomHistory(seed, 12, 80);
    await t.store.append(`party-access-00000000-0000-4000-8000-000000000001`, [
      { eventId: randomUUID(), type: 'ClientViewRead', data: { viewer: 'coord-7', role: 'coordinator', at: '2026-03-01T08:00:00.000Z' } },
    ]);
    await caughtUp('policy-book', 'client-view', 'audit-access-log');
  });

  it.each(['policy-book', 'client-view', 'audit-access-log'])(
    'given a random history applied live, when an auditor compares a rebuild of %s, then it equals the live model at the same position',
    async (name) => {
      const res = await http().get(`/v1/audit/projections/${name}/comparison`).set(as('auditor')).expect(200);
      expect(res.body).toMatchObject({ projection: name, equal: true, swapped: false, target: 'temp' });
      expect(res.body.live.rows).toBeGreaterThan(0);
      expect(res.body.rebuilt).toEqual(res.body.live);
      expect(res.body.position >= (await lastPositionOf(TYPES_OF[name].filter((type) => type !== 'AuditRead')))).toBe(true);
    },
  );

  it('given an admin rebuild without swap, then shadow tables hold the rebuilt model and the live one is untouched', async () => {
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM ${BOOK}`);
    const res = await http().post('/v1/audit/projections/policy-book/rebuild').set(as('admin')).expect(200);
    expect(res.body).toMatchObject({ projection: 'policy-book', equal: true, swapped: false, target: 'shadow' });
    const [shadow] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ${BOOK}_rebuild`);
    expect(shadow.n).toBe(res.body.tables[0].rebuilt.rows);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${BOOK}`))[0].n).toBeGreaterThanOrEqual(before[0].n);
  });

  it('given writes going on, when an admin swaps in a rebuild, then it is equal, keeps the live names, and the live projection carries on in the new tables', async () => {
    const writing = randomHistory(seed + 1, 6, 40);
    const res = await http().post('/v1/audit/projections/policy-book/rebuild?swap=true').set(as('admin')).expect(200);
    await writing;
    expect(res.body).toMatchObject({ projection: 'policy-book', equal: true, swapped: true });
    const indexes = await t.dataSource.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'coordination' AND tablename = 'test_policy_book' ORDER BY 1`);
    expect(indexes.map((i: { indexname: string }) => i.indexname)).toEqual(['test_policy_book_party', 'test_policy_book_pkey']);
    expect(await t.dataSource.query(`SELECT to_regclass('${BOOK}_rebuild') AS t`)).toEqual([{ t: null }]);

    await t.store.append('policy-life-AFTER-SWAP', [policyEvent('PolicyRecorded', { subsidiary: 'life', policyNo: 'AFTER-SWAP', partyId: '00000000-0000-4000-8000-000000000009', premium: { amount: '1.00' } })]);
    await expectEventually(async () => expect(await t.dataSource.query(`SELECT status FROM ${BOOK} WHERE policy_no = 'AFTER-SWAP'`)).toEqual([{ status: 'in-force' }]));
    await caughtUp('policy-book');
    const again = await http().get('/v1/audit/projections/policy-book/comparison').set(as('auditor')).expect(200);
    expect(again.body.equal).toBe(true);

    const day = new Date().toISOString().slice(0, 10);
    const actions = await t.store.readStream(`admin-actions-${day}`);
    expect(actions.find((e) => e.type === 'ProjectionSwapped')?.data).toMatchObject({ projection: 'policy-book', equal: true, by: t.principalIds.admin });
  });

  it('given an unknown projection, then 404; given an auditor, then a rebuild that writes shadow tables is refused', async () => {
    await http().get('/v1/audit/projections/nope/comparison').set(as('auditor')).expect(404);
    await http().post('/v1/audit/projections/policy-book/rebuild').set(as('auditor')).expect(403);
    const list = await http().get('/v1/audit/projections').set(as('auditor')).expect(200);
    expect(list.body.projections.map((p: { name: string }) => p.name).sort()).toEqual(['audit-access-log', 'client-view', 'policy-book']);
  });
});

describe('reading history', () => {
  const correlationId = `corr-${randomUUID()}`;
  let bulkStream: string;

  beforeAll(async () => {
    bulkStream = `bulk-${randomUUID()}`;
    const bulk = Array.from({ length: 1100 }, (_, i) => ({ eventId: randomUUID(), type: 'BulkRecorded', data: { i } }));
    await t.store.append(bulkStream, bulk);
    await t.store.append(`corr-a-${randomUUID()}`, [policyEvent('Correlated', { n: 1 }, correlationId)]);
    const last = `corr-b-${randomUUID()}`;
    await t.store.append(last, [policyEvent('Correlated', { n: 2 }, correlationId), policyEvent('Correlated', { n: 3 })]);
    // The log shows only what lies below the commit horizon, which any open transaction on the
    // server (another test's, in another database) holds back: wait until the last append is visible.
    await expectEventually(async () => expect((await t.store.readAll({ streamPrefix: last })).events).toHaveLength(2));
  });

  it("given a stream, then its history is served oldest first and paged by revision; an unknown stream is 404", async () => {
    const first = await http().get(`/v1/audit/streams/${bulkStream}?maxCount=2`).set(as('auditor')).expect(200);
    expect(first.body.events.map((e: { data: { i: number } }) => e.data.i)).toEqual([0, 1]);
    expect(first.body.nextRevision).toBe('2');
    const next = await http().get(`/v1/audit/streams/${bulkStream}?from=2&maxCount=1`).set(as('auditor')).expect(200);
    expect(next.body.events[0]).toMatchObject({ streamRevision: '2', type: 'BulkRecorded', data: { i: 2 } });
    await http().get(`/v1/audit/streams/nobody-${randomUUID()}`).set(as('auditor')).expect(404);
  });

  it('given filters, then the global log pages through exactly the matching events, with no duplicates', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const res = await http().get('/v1/audit/events').query({ streamPrefix: bulkStream, maxCount: 400, ...(cursor ? { fromPosition: cursor } : {}) }).set(as('auditor')).expect(200);
      seen.push(...res.body.events.map((e: { data: { i: number } }) => e.data.i));
      cursor = res.body.nextPosition;
      if (res.body.isEnd) break;
    }
    expect(seen).toEqual(Array.from({ length: 1100 }, (_, i) => i));

    const byCorrelation = await http().get('/v1/audit/events').query({ correlationId }).set(as('auditor')).expect(200);
    expect(byCorrelation.body.events.map((e: { data: { n: number } }) => e.data.n)).toEqual([1, 2]);
    const future = await http().get('/v1/audit/events').query({ correlationId, from: '2999-01-01T00:00:00Z' }).set(as('auditor')).expect(200);
    expect(future.body.events).toEqual([]);
    const typed = await http().get('/v1/audit/events').query({ types: 'Correlated', to: new Date(Date.now() + 60_000).toISOString() }).set(as('auditor')).expect(200);
    expect(typed.body.events.map((e: { data: { n: number } }) => e.data.n).sort()).toEqual([1, 2, 3]);
    await http().get('/v1/audit/events').query({ fromPosition: 'not-a-position' }).set(as('auditor')).expect(400);
  });

  it('given an export, then the whole filtered log streams as NDJSON across pages, in commit order', async () => {
    const res = await http().get('/v1/audit/events/export').query({ streamPrefix: bulkStream }).set(as('auditor')).buffer(true).parse(textParser).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['content-length']).toBeUndefined();
    const lines = (res.body as string).trimEnd().split('\n').map((l) => JSON.parse(l) as { data: { i: number }; position: string });
    expect(lines.map((l) => l.data.i)).toEqual(Array.from({ length: 1100 }, (_, i) => i));
    expect(lines.map((l) => l.position)).toEqual([...lines.map((l) => l.position)].sort());

    const negotiated = await http().get('/v1/audit/events').query({ correlationId }).set({ ...as('auditor'), Accept: 'application/x-ndjson' }).buffer(true).parse(textParser).expect(200);
    expect((negotiated.body as string).trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('views as they stood at an instant', () => {
  const party = randomUUID();
  let first: RecordedEvent;
  let second: RecordedEvent;

  beforeAll(async () => {
    const stream = `policy-pnc-ASOF-${party}`;
    await t.store.append(stream, [policyEvent('PolicyRecorded', { subsidiary: 'pnc', policyNo: `ASOF-${party}`, partyId: party, premium: { amount: '100.00' } })]);
    [first] = await t.store.readStream(stream);
    // The two events must be recorded in different milliseconds for an instant to lie between them.
    await expectEventually(async () => {
      const [row] = await t.dataSource.query(`SELECT clock_timestamp() > $1::timestamptz + interval '5 milliseconds' AS later`, [first.recordedAt]);
      expect(row.later).toBe(true);
    });
    await t.store.append(stream, [policyEvent('PolicyRenewalRecorded', { subsidiary: 'pnc', policyNo: `ASOF-${party}`, partyId: party, premium: { amount: '250.00' } })]);
    [, second] = await t.store.readStream(stream);
    await caughtUp('policy-book', 'client-view');
  });

  it('given a change after the instant, then the as-of client view shows the party as it was, while the live view has moved on', async () => {
    const res = await http().get(`/v1/audit/clients/${party}`).query({ asOf: second.recordedAt.toISOString() }).set(as('auditor')).expect(200);
    expect(res.body).toMatchObject({ view: 'client', result: { partyId: party, view: { policies: { [`pnc:ASOF-${party}`]: { premium: '100.00' } } } } });
    const [live] = await t.dataSource.query(`SELECT view FROM coordination.client_view WHERE party_id = $1`, [party]);
    expect(live.view.policies[`pnc:ASOF-${party}`].premium).toBe('250.00');
    const now = await http().get(`/v1/audit/clients/${party}`).query({ asOf: new Date(Date.now() + 60_000).toISOString() }).set(as('admin')).expect(200);
    expect(now.body.result.view.policies[`pnc:ASOF-${party}`].premium).toBe('250.00');
  });

  it('given an instant before the party existed, then 404; the KPI as-of reads the totals of that instant', async () => {
    await http().get(`/v1/audit/clients/${party}`).query({ asOf: first.recordedAt.toISOString() }).set(as('auditor')).expect(404);
    const kpi = await http().get('/v1/audit/kpi').query({ asOf: second.recordedAt.toISOString(), partyId: party }).set(as('auditor')).expect(200);
    expect(kpi.body.result).toEqual({ policies: 1, premium: '100.00' });
    const [live] = await t.dataSource.query(`SELECT premium::text FROM ${TOTALS} WHERE party_id = $1`, [party]);
    expect(live.premium).toBe('250.00');
    await http().get(`/v1/audit/kpi`).set(as('auditor')).expect(400);
  });
});

describe('recording and reviewing access', () => {
  it('given audit reads, then each is an AuditRead in the day stream, and the access log shows who read which party', async () => {
    const party = randomUUID();
    await t.store.append(`party-access-${party}`, [
      { eventId: randomUUID(), type: 'ClientViewRead', data: { viewer: 'coord-42', role: 'coordinator', at: new Date().toISOString() } },
    ]);
    await http().get(`/v1/audit/clients/${party}`).query({ asOf: new Date().toISOString() }).set(as('auditor')).expect(404);

    const day = new Date().toISOString().slice(0, 10);
    const trail = await t.store.readStream(`audit-access-${day}`, { direction: 'backwards', maxCount: 50 });
    expect(trail.find((e) => (e.data as { path: string }).path === `/v1/audit/clients/${party}`)?.data).toMatchObject({
      principal: t.principalIds.auditor,
      roles: ['auditor'],
    });
    await expectEventually(async () => {
      const res = await http().get('/v1/audit/access-log').query({ partyId: party }).set(as('auditor')).expect(200);
      const entries = res.body.entries as Array<{ kind: string; principal: string }>;
      expect(entries.map((e) => [e.kind, e.principal]).sort()).toEqual([['AuditRead', t.principalIds.auditor], ['ClientViewRead', 'coord-42']]);
    });
  });
});

describe('guarding the audit and admin routes', () => {
  it('given every route of the app, then no credentials 401, other roles 403, auditors never write, listed roles pass', async () => {
    const result = await assertEveryRouteIsGuarded(t.app, t.keys);
    expect(result.routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /v1/audit/projections/:name/rebuild', 'DELETE /v1/admin/api-keys/:id']));
  });
});

describe('tampering with the history', () => {
  it('given one stored event altered in SQL, then the integrity check and the rebuild comparison both report it', async () => {
    // A policy never renewed: its recorded premium is still what the read model shows.
    const [victim] = await t.dataSource.query(
      `SELECT event_id, tx_id::text AS tx, global_position::text AS gp, data->>'subsidiary' AS sub, data->>'policyNo' AS no
         FROM event_store.events e WHERE type = 'PolicyRecorded'
          AND NOT EXISTS (SELECT 1 FROM event_store.events r WHERE r.stream_id = e.stream_id AND r.type = 'PolicyRenewalRecorded')
        ORDER BY tx_id, global_position LIMIT 1`,
    );
    // Every audit call appends an AuditRead, so the tail is never fully sealed: wait until the victim is.
    await expectEventually(async () => {
      const res = await http().get('/v1/audit/integrity').set(as('auditor')).expect(200);
      expect(res.body.ok).toBe(true);
      expect(res.body.head.position >= encodePosition(victim.tx, victim.gp)).toBe(true);
    });
    await t.dataSource.transaction(async (m) => {
      await m.query('ALTER TABLE event_store.events DISABLE TRIGGER events_append_only');
      await m.query(`UPDATE event_store.events SET data = jsonb_set(data, '{premium,amount}', '"99999.00"') WHERE event_id = $1`, [victim.event_id]);
      await m.query('ALTER TABLE event_store.events ENABLE TRIGGER events_append_only');
    });

    const integrity = await http().get('/v1/audit/integrity').set(as('auditor')).expect(200);
    expect(integrity.body.ok).toBe(false);
    expect(integrity.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'EVENT_MODIFIED', eventId: victim.event_id })]));

    const comparison = await http().get('/v1/audit/projections/policy-book/comparison').set(as('auditor')).expect(200);
    expect(comparison.body.equal).toBe(false);
    expect(comparison.body.tables[0].differingKeys).toEqual(
      expect.arrayContaining([{ key: { subsidiary: victim.sub, policy_no: victim.no }, inLive: true, inRebuilt: true }]),
    );
  });
});

/** Collects a streamed body as text (supertest only buffers JSON and text/* by itself). */
function textParser(res: request.Response, callback: (err: Error | null, body: unknown) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (body += chunk));
  stream.on('end', () => callback(null, body));
}
