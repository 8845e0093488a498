import { randomUUID } from 'node:crypto';
import { ConcurrentAppendError, satisfiesExpected, WrongExpectedRevisionError, type ExpectedRevision } from '@lib/event-store';
import { event } from '@lib/event-store/testing/event-store.contract';
import { readAllUntil } from '@lib/event-store/testing/read-all-until';
import { expectEventually } from '../../../test/infra/expect-eventually';
import { createPgFixture, TEST_APP_ROLE, type PgFixture } from './pg-fixture';

describe('PostgreSQL event store in callers’ transactions', () => {
  let fx: PgFixture;
  const run = `tx${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    fx = await createPgFixture('es_transactions');
    await fx.owner.query(`CREATE TABLE public.kafka_offsets (topic text, part int, next_offset bigint, PRIMARY KEY (topic, part))`);
    await fx.owner.query(`GRANT SELECT, INSERT, UPDATE ON public.kafka_offsets TO ${TEST_APP_ROLE}`);
  });
  afterAll(() => fx?.close());

  const offsetOf = async (part: number) =>
    (await fx.app.query(`SELECT next_offset FROM public.kafka_offsets WHERE topic = 't' AND part = $1`, [part]))[0]?.next_offset ?? null;

  it('given events and a Kafka offset written in one transaction, when it commits, then both are stored; when it fails, neither', async () => {
    const ok = `${run}-commit`;
    await fx.app.transaction(async (manager) => {
      await fx.store.append(ok, [event('A')], 'no_stream', { manager });
      expect(await fx.store.readStream(ok, { manager })).toHaveLength(1);
      await manager.query(`INSERT INTO public.kafka_offsets VALUES ('t', 1, 42)`);
    });
    expect(await fx.store.readStream(ok)).toHaveLength(1);
    expect(await offsetOf(1)).toBe('42');

    const failed = `${run}-rollback`;
    const failure = fx.app.transaction(async (manager) => {
      await fx.store.appendMany([{ streamId: failed, events: [event('A')] }, { streamId: `${failed}-2`, events: [event('B')] }], { manager });
      await manager.query(`INSERT INTO public.kafka_offsets VALUES ('t', 2, 7)`);
      throw new Error('handler failed after appending');
    });
    await expect(failure).rejects.toThrow('handler failed after appending');
    expect(await fx.store.readStream(failed)).toEqual([]);
    expect(await offsetOf(2)).toBeNull();
  });

  it('given a conflict inside a caller’s transaction, then the error surfaces and the transaction stores nothing', async () => {
    const id = `${run}-conflict`;
    await fx.store.append(id, [event('A')]);
    const attempt = fx.app.transaction(async (manager) => {
      await manager.query(`INSERT INTO public.kafka_offsets VALUES ('t', 3, 1)`);
      await fx.store.append(id, [event('B')], 'no_stream', { manager });
    });
    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await offsetOf(3)).toBeNull();
  });

  it('given a transaction that took its id before another appended to the same stream, then its append must retry (keeps $all in stream order)', async () => {
    const id = `${run}-order`;
    await fx.store.append(id, [event('A')]);
    const attempt = fx.app.transaction(async (manager) => {
      await manager.query(`SELECT pg_current_xact_id()`);
      await fx.store.append(id, [event('B')]);
      await fx.store.append(id, [event('C')], 'any', { manager });
    });
    await expect(attempt).rejects.toMatchObject({ constructor: ConcurrentAppendError, reason: 'transaction_order', retryable: true });
    await fx.app.transaction((manager) => fx.store.append(id, [event('C')], 'any', { manager }));
    expect((await fx.store.readStream(id)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
  });

  it('given some events already stored, when appended again with new ones, then the stored ones report their original positions and only the new ones are written', async () => {
    const id = `${run}-partial`;
    const [e1, e2, e3] = [event('A'), event('B'), event('C')];
    const first = await fx.store.append(id, [e1, e2]);
    const second = await fx.store.append(id, [e2, e3]);
    expect(second.positions[0]).toBe(first.positions[1]);
    expect(second.nextExpectedRevision).toBe(2n);
    expect((await fx.store.readStream(id)).map((e) => e.eventId)).toEqual([e1.eventId, e2.eventId, e3.eventId]);
    const elsewhere = await fx.store.append(`${run}-other`, [e1], 'no_stream');
    expect(elsewhere.positions).toEqual([first.positions[0]]);
    expect(await fx.store.readStream(`${run}-other`)).toEqual([]);
  });

  it('enforces every expected state in SQL exactly as the specification says', async () => {
    const expectations: ExpectedRevision[] = ['any', 'no_stream', 'stream_exists', 0n, 1n, 2n, 3n];
    for (const current of [-1n, 0n, 2n]) {
      for (const expected of expectations) {
        const id = `${run}-grid-${current}-${String(expected)}`;
        if (current >= 0n) await fx.store.append(id, Array.from({ length: Number(current) + 1 }, () => event('Seed')));
        const outcome = await fx.store.append(id, [event('Probe')], expected).then(() => 'ok', (e: unknown) => e);
        if (satisfiesExpected(expected, current)) expect(outcome).toBe('ok');
        else expect(outcome).toMatchObject({ constructor: WrongExpectedRevisionError, streamId: id, expected, actual: current });
      }
    }
  });

  it('given two instances of one projection and a handler that fails once, then every event is applied exactly once, together with the checkpoint', async () => {
    const prefix = `${run}-proj`;
    const checkpointName = `${prefix}-read-model`;
    await fx.owner.query(`CREATE TABLE public.applied (event_id text NOT NULL, instance int NOT NULL)`);
    await fx.owner.query(`GRANT SELECT, INSERT ON public.applied TO ${TEST_APP_ROLE}`);
    let failOnce = true;
    const conflicts: unknown[] = [];
    const projection = (instance: number) =>
      fx.store.subscribeToAll({
        checkpointName, streamPrefix: prefix, batchSize: 4, pollIntervalMs: 5,
        onError: (e) => conflicts.push(e),
        onEvents: async (events, { manager }) => {
          for (const e of events) await manager!.query(`INSERT INTO public.applied VALUES ($1, $2)`, [e.eventId, instance]);
          if (failOnce) {
            failOnce = false;
            throw new Error('read model write failed');
          }
        },
      });
    const subs = [projection(1), projection(2)];
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const batch = [event('P'), event('P'), event('P')];
      ids.push(...batch.map((e) => e.eventId));
      await fx.store.append(`${prefix}-${i % 4}`, batch);
    }
    const all = await readAllUntil(fx.store, { streamPrefix: prefix }, 30);
    try {
      // Both instances must have read past the last event before we count: each had every chance to apply it twice.
      await expectEventually(() => expect(subs.every((s) => s.position() >= all[29].globalPosition)).toBe(true));
    } finally {
      await Promise.all(subs.map((s) => s.stop()));
    }
    const applied: Array<{ event_id: string }> = await fx.app.query(`SELECT event_id FROM public.applied`);
    expect(applied).toHaveLength(30);
    expect(new Set(applied.map((r) => r.event_id))).toEqual(new Set(ids));
    expect(conflicts.length).toBeGreaterThanOrEqual(1);
    expect((await fx.store.getCheckpoint(checkpointName))! >= all[29].globalPosition).toBe(true);
  });

  it('reports how far an open transaction holds subscribers back, and releases them when it commits', async () => {
    const prefix = `${run}-horizon`;
    const runner = fx.app.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await fx.store.append(`${prefix}-open`, [event('Open')], 'no_stream', { manager: runner.manager });
      await fx.store.append(`${prefix}-done`, [event('Done')]);
      const status = await fx.store.horizonStatus();
      expect(status.heldBackEvents).toBeGreaterThanOrEqual(1);
      expect(status.oldestInFlightTxAgeSeconds).toBeGreaterThan(0);
      expect(await fx.store.oldestInFlightTxAgeSeconds()).toBeGreaterThan(0);
      expect((await fx.store.readAll({ streamPrefix: prefix })).events).toEqual([]);
    } finally {
      await runner.commitTransaction();
      await runner.release();
    }
    expect((await readAllUntil(fx.store, { streamPrefix: prefix }, 2)).map((e) => e.type)).toEqual(['Open', 'Done']);
    await expectEventually(async () => expect((await fx.store.horizonStatus()).heldBackEvents).toBe(0));
  });
});
