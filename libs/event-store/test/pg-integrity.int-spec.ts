import { randomUUID } from 'node:crypto';
import type { IntegrityProblem, RecordedEvent } from '@lib/event-store';
import { event } from '@lib/event-store/testing/event-store.contract';
import { readAllUntil } from '@lib/event-store/testing/read-all-until';
import { expectEventually } from '../../../test/infra/expect-eventually';
import { createPgFixture, type PgFixture } from './pg-fixture';

/**
 * Tampering is done as the owner with triggers off (session_replication_role = replica),
 * i.e. by someone who got past both the grants and the append-only triggers.
 */
describe('PostgreSQL event store integrity chain', () => {
  let fx: PgFixture;
  let events: RecordedEvent[];
  const prefix = `int${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    fx = await createPgFixture('es_integrity');
    for (let i = 0; i < 10; i++) await fx.store.append(`${prefix}-${i % 3}`, [event('Audited', { i, premium: '100.00' })]);
    events = await readAllUntil(fx.store, { streamPrefix: prefix }, 10);
    await expectEventually(async () => {
      await fx.store.seal();
      expect((await fx.store.verifyIntegrity()).head?.auditSeq).toBe('10');
    });
  });
  afterAll(() => fx?.close());

  it('given untouched history, then verification passes and reports the head to keep outside the database', async () => {
    const report = await fx.store.verifyIntegrity();
    expect(report).toMatchObject({ ok: true, checkedFrom: '1', checkedTo: '10', checkedCount: 10, unsealedCount: 0, problems: [] });
    expect(report.head).toEqual({ auditSeq: '10', position: events[9].globalPosition, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('given an edited event row, then exactly that row is reported; restoring it heals the report', async () => {
    const target = events[4];
    await tamper(`UPDATE event_store.events SET data = jsonb_set(data, '{premium}', '"1.00"') WHERE event_id = $1`, [target.eventId]);
    expect(await problems()).toEqual([expect.objectContaining({ kind: 'EVENT_MODIFIED', auditSeq: '5', globalPosition: target.globalPosition, eventId: target.eventId })]);
    await tamper(`UPDATE event_store.events SET data = jsonb_set(data, '{premium}', '"100.00"') WHERE event_id = $1`, [target.eventId]);
    expect(await problems()).toEqual([]);
  });

  it('given a deleted event row, then the seal that covered it is reported', async () => {
    const target = events[2];
    await withSavedRow(target.eventId, async () => {
      await tamper(`DELETE FROM event_store.events WHERE event_id = $1`, [target.eventId]);
      expect(await problems()).toEqual([expect.objectContaining({ kind: 'EVENT_DELETED', auditSeq: '3', globalPosition: target.globalPosition })]);
    });
    expect(await problems()).toEqual([]);
  });

  it('given a row inserted into the sealed range, then it is reported where it sits', async () => {
    const [{ tx }] = await fx.owner.query(`SELECT tx_id::text AS tx FROM event_store.events WHERE event_id = $1`, [events[6].eventId]);
    await tamper(
      `INSERT INTO event_store.events (global_position, tx_id, event_id, stream_id, stream_revision, type, schema_version, data, metadata)
       OVERRIDING SYSTEM VALUE VALUES (100000, $1::xid8, 'forged-1', $2, 99, 'Audited', 1, '{"i": 99}', '{}')`,
      [tx, `${prefix}-0`],
    );
    expect(await problems()).toEqual([expect.objectContaining({ kind: 'EVENT_INSERTED', eventId: 'forged-1', streamId: `${prefix}-0`, streamRevision: '99' })]);
    await tamper(`DELETE FROM event_store.events WHERE event_id = 'forged-1'`);
    expect(await problems()).toEqual([]);
  });

  it('given deleted or rewritten seals, then the gap and the broken link are reported', async () => {
    const [seal] = await fx.owner.query(`SELECT * FROM event_store.seals WHERE audit_seq = 7`);
    await tamper(`DELETE FROM event_store.seals WHERE audit_seq = 7`);
    expect(await problems()).toEqual([
      expect.objectContaining({ kind: 'SEAL_MISSING', auditSeq: '7' }),
      expect.objectContaining({ kind: 'EVENT_INSERTED', globalPosition: events[6].globalPosition, eventId: events[6].eventId }),
    ]);
    await fx.owner.query(`INSERT INTO event_store.seals SELECT * FROM json_populate_record(NULL::event_store.seals, $1::json)`, [JSON.stringify(seal)]);
    expect(await problems()).toEqual([]);
    const [{ hash }] = await fx.owner.query(`SELECT chain_hash AS hash FROM event_store.seals WHERE audit_seq = 8`);
    await tamper(`UPDATE event_store.seals SET chain_hash = repeat('0', 64) WHERE audit_seq = 8`);
    // Seal 8 no longer follows from 7, and 9 no longer follows from the forged 8.
    expect((await problems()).map((p) => [p.kind, p.auditSeq])).toEqual([['SEAL_MODIFIED', '8'], ['SEAL_MODIFIED', '9']]);
    await tamper(`UPDATE event_store.seals SET chain_hash = $1 WHERE audit_seq = 8`, [hash]);
    expect(await problems()).toEqual([]);
  });

  it('verifies a range of positions only', async () => {
    await tamper(`UPDATE event_store.events SET type = 'Edited' WHERE event_id = $1`, [events[1].eventId]);
    const inRange = await fx.store.verifyIntegrity(events[0].globalPosition, events[3].globalPosition);
    const outOfRange = await fx.store.verifyIntegrity(events[5].globalPosition, events[9].globalPosition);
    expect(inRange.problems.map((p) => [p.kind, p.auditSeq])).toEqual([['EVENT_MODIFIED', '2']]);
    expect(inRange).toMatchObject({ checkedFrom: '1', checkedTo: '4' });
    expect(outOfRange.problems.map((p) => p.kind)).not.toContain('EVENT_MODIFIED');
    await tamper(`UPDATE event_store.events SET type = 'Audited' WHERE event_id = $1`, [events[1].eventId]);
  });

  it('given a transaction still open, then sealing stops before it and later events, and concurrent sealers never double-seal', async () => {
    const runner = fx.app.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await fx.store.append(`${prefix}-open`, [event('Late')], 'no_stream', { manager: runner.manager });
      await fx.store.append(`${prefix}-after`, [event('After')]);
      await fx.store.seal();
      expect((await fx.store.verifyIntegrity()).head?.auditSeq).toBe('10');
    } finally {
      await runner.commitTransaction();
      await runner.release();
    }
    const sealerErrors: unknown[] = [];
    await expectEventually(async () => {
      for (const r of await Promise.allSettled([fx.store.seal(1), fx.store.seal(1), fx.store.seal(1)])) {
        if (r.status === 'rejected') sealerErrors.push(r.reason);
      }
      expect((await fx.store.verifyIntegrity()).head?.auditSeq).toBe('12');
    });
    expect(sealerErrors).toEqual([]);
    const report = await fx.store.verifyIntegrity();
    expect(report).toMatchObject({ ok: true, checkedCount: 12 });
  });

  async function problems(): Promise<IntegrityProblem[]> {
    return (await fx.store.verifyIntegrity()).problems;
  }

  async function tamper(sql: string, params: unknown[] = []): Promise<void> {
    await fx.owner.transaction(async (em) => {
      await em.query(`SET LOCAL session_replication_role = replica`);
      await em.query(sql, params);
    });
  }

  async function withSavedRow(eventId: string, work: () => Promise<void>): Promise<void> {
    const [row] = await fx.owner.query(`SELECT to_json(e) AS row FROM event_store.events e WHERE event_id = $1`, [eventId]);
    try {
      await work();
    } finally {
      await tamper(
        `INSERT INTO event_store.events OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_record(NULL::event_store.events, $1::json)`,
        [JSON.stringify(row.row)],
      );
    }
  }
});
