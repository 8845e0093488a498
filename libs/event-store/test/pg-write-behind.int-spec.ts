import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError, type EventStore } from '@lib/event-store';
import { event } from '@lib/event-store/testing/event-store.contract';
import type { EntityManager } from 'typeorm';
import { createPgFixture, type PgFixture } from './pg-fixture';

/**
 * Write-behind (write-behind.ts): a held transaction's appends are written together when its
 * holder releases it, with the outcome they would have had one by one, whatever the holder's
 * savepoints did in between.
 */
describe('PostgreSQL event store: appends held in a transaction', () => {
  let fx: PgFixture;
  const run = `wb${randomUUID().slice(0, 8)}`;
  let n = 0;
  const stream = () => `${run}-${++n}`;

  beforeAll(async () => {
    fx = await createPgFixture('es_write_behind');
  });
  afterAll(() => fx?.close());

  const holding = () => fx.store.holding;
  const types = async (streamId: string, store: EventStore = fx.store) => (await store.readStream(streamId)).map((e) => e.type);
  /** Committed events of the given streams in $all order. */
  const inAllOrder = async (streamIds: string[]) =>
    (await fx.owner.query('SELECT stream_id, type FROM event_store.events WHERE stream_id = ANY($1) ORDER BY global_position', [streamIds]))
      .map((r: { stream_id: string; type: string }) => `${r.stream_id.slice(run.length + 1)}:${r.type}`);
  const seen = async (manager: EntityManager, streamId: string) =>
    Number((await manager.query('SELECT count(*)::int AS n FROM event_store.events WHERE stream_id = $1', [streamId]))[0].n);

  it('given appends in a held transaction, then nothing is written until release, and then all of them, in the order made', async () => {
    const [a, b] = [stream(), stream()];
    await fx.app.transaction(async (manager) => {
      holding().hold(manager);
      const answer = await fx.store.append(a, [event('A1'), event('A2')], 'no_stream', { manager });
      expect(answer).toEqual({ streamId: a, nextExpectedRevision: 1n, positions: [], held: true });
      await fx.store.append(b, [event('B1')], 'any', { manager });
      expect(await seen(manager, a)).toBe(0);
      await holding().release(manager);
      expect(await seen(manager, a)).toBe(2);
    });
    expect(await inAllOrder([a, b])).toEqual([`${a.slice(run.length + 1)}:A1`, `${a.slice(run.length + 1)}:A2`, `${b.slice(run.length + 1)}:B1`]);
  });

  it('given a held append, when its stream is read (or its head), or appended to again in the transaction, then what is held is written first', async () => {
    const [a, b] = [stream(), stream()];
    const attempt = fx.app.transaction(async (manager) => {
      holding().hold(manager);
      await fx.store.append(a, [event('A1')], 'no_stream', { manager });
      await fx.store.append(b, [event('B1')], 'no_stream', { manager });
      expect((await fx.store.readStream(a, { manager })).map((e) => e.type)).toEqual(['A1']);
      expect(await seen(manager, b)).toBe(1); // written with it
      await fx.store.append(b, [event('B2')], 0n, { manager });
      expect(await seen(manager, b)).toBe(1); // held again
      await fx.store.append(b, [event('B3')], 0n, { manager }); // B2 is written first, so this expectation is wrong
      expect(await seen(manager, b)).toBe(2);
      const c = stream();
      const head = event('C1');
      await fx.store.append(c, [head], 'no_stream', { manager });
      expect(await fx.store.streamHead(c, { manager })).toEqual({ eventId: head.eventId, streamRevision: 0n });
      await holding().release(manager);
    });
    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await types(a)).toEqual([]); // the failed release failed the transaction
  });

  it('given a savepoint rolled back after a flush, then appends made before it that the flush wrote are held again and kept, those made after it are gone', async () => {
    const [before, after, read] = [stream(), stream(), stream()];
    await fx.app.transaction(async (manager) => {
      holding().hold(manager);
      await fx.store.append(before, [event('KEPT')], 'no_stream', { manager });
      await manager.query('SAVEPOINT message');
      const mark = holding().mark(manager);
      await fx.store.append(read, [event('GONE-1')], 'no_stream', { manager });
      await fx.store.readStream(read, { manager }); // flushes `before` too, inside the savepoint
      await fx.store.append(after, [event('GONE-2')], 'no_stream', { manager });
      await manager.query('ROLLBACK TO SAVEPOINT message');
      holding().undoTo(manager, mark);
      await fx.store.append(read, [event('READ')], 'no_stream', { manager });
      await holding().release(manager);
    });
    expect(await types(before)).toEqual(['KEPT']);
    expect(await types(read)).toEqual(['READ']);
    expect(await types(after)).toEqual([]);
  });

  it('given a wrong expectation, then release reports it as the append would have, and the transaction keeps nothing', async () => {
    const [exists, fresh] = [stream(), stream()];
    await fx.store.append(exists, [event('A')]);
    const attempt = fx.app.transaction(async (manager) => {
      holding().hold(manager);
      await fx.store.append(fresh, [event('B')], 'no_stream', { manager });
      await fx.store.append(exists, [event('C')], 'no_stream', { manager });
      await holding().release(manager);
    });
    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await types(fresh)).toEqual([]);
    expect(await types(exists)).toEqual(['A']);
  });

  it('given an event id held twice, or already stored, then it is written once (idempotent, as one by one)', async () => {
    const [a, b] = [stream(), stream()];
    const stored = event('STORED');
    await fx.store.append(a, [stored]);
    const again = event('TWICE');
    await fx.app.transaction(async (manager) => {
      holding().hold(manager);
      await fx.store.append(a, [stored], 'any', { manager });
      await fx.store.append(b, [again], 'no_stream', { manager });
      await fx.store.append(`${b}-x`, [again], 'any', { manager });
      await holding().release(manager);
    });
    expect(await types(a)).toEqual(['STORED']);
    expect(await types(b)).toEqual(['TWICE']);
    expect(await types(`${b}-x`)).toEqual([]);
  });

  it('given appendMany in a held transaction, then it is written after what was held, and appends outside any held transaction go straight through', async () => {
    const [a, b, c] = [stream(), stream(), stream()];
    await fx.app.transaction(async (manager) => {
      holding().hold(manager);
      await fx.store.append(a, [event('FIRST')], 'no_stream', { manager });
      await fx.store.appendMany([{ streamId: b, events: [event('SECOND')] }], { manager });
      const outside = await fx.store.append(c, [event('OWN')]);
      expect(outside.held).toBeUndefined();
      await holding().release(manager);
    });
    expect(await inAllOrder([a, b])).toEqual([`${a.slice(run.length + 1)}:FIRST`, `${b.slice(run.length + 1)}:SECOND`]);
    expect(await types(c)).toEqual(['OWN']);
  });
});
