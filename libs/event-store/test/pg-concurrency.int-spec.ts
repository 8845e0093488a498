import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError, type RecordedEvent } from '@lib/event-store';
import { event } from '@lib/event-store/testing/event-store.contract';
import { readAllUntil } from '@lib/event-store/testing/read-all-until';
import { expectEventually } from '../../../test/infra/expect-eventually';
import { createPgFixture, type PgFixture } from './pg-fixture';

describe('PostgreSQL event store under concurrent writers', () => {
  let fx: PgFixture;
  const run = `conc${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    fx = await createPgFixture('es_concurrency', { poolSize: 24 });
  });
  afterAll(() => fx?.close());

  it('given 8 writers racing on one stream with the same expected revision, then exactly one wins each revision', async () => {
    const streamId = `${run}-race`;
    for (let revision = 0; revision < 10; revision++) {
      const expected = revision === 0 ? 'no_stream' : BigInt(revision - 1);
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, w) => fx.store.append(streamId, [event('Raced', { revision, w })], expected)));
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(7);
      for (const error of lost) expect(error).toMatchObject({ constructor: WrongExpectedRevisionError, actual: BigInt(revision) });
    }
    const stored = await fx.store.readStream(streamId);
    expect(stored.map((e) => e.streamRevision)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
    expect(stored.map((e) => (e.data as { revision: number }).revision)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('given 8 writers appending with "any" to one stream, then every event is stored once with dense revisions', async () => {
    const streamId = `${run}-any`;
    const ids = await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        const mine: string[] = [];
        for (let i = 0; i < 10; i++) {
          const e = event('Any', { w, i });
          await fx.store.append(streamId, [e]);
          mine.push(e.eventId);
        }
        return mine;
      }),
    );
    const stored = await fx.store.readStream(streamId);
    expect(stored.map((e) => e.streamRevision)).toEqual(Array.from({ length: 80 }, (_, i) => BigInt(i)));
    expect(new Set(stored.map((e) => e.eventId))).toEqual(new Set(ids.flat()));
  });

  it('given 16 writers committing out of order and one transaction held open, then a subscriber sees every event once, in global order, only after the held one commits', async () => {
    const prefix = `${run}-sub`;
    const delivered: RecordedEvent[] = [];
    const sub = fx.store.subscribeToAll({ streamPrefix: prefix, pollIntervalMs: 10, onEvents: async (events) => void delivered.push(...events) });
    const held = await holdTransactionWithEvent(`${prefix}-held`);
    const written: string[] = [];
    try {
      for (let round = 0; round < 3; round++) written.push(...(await writersCommittingInReverse(prefix, 16, round)));
      await expectEventually(async () => expect((await fx.store.horizonStatus()).heldBackEvents).toBeGreaterThanOrEqual(48));
      expect((await fx.store.horizonStatus()).oldestInFlightTxAgeSeconds).toBeGreaterThan(0);
      expect(delivered).toEqual([]);
    } finally {
      await held.commit();
    }
    try {
      await expectEventually(() => expect(delivered).toHaveLength(49), { timeoutMs: 60_000 });
    } finally {
      await sub.stop();
    }

    expect(new Set(delivered.map((e) => e.eventId)).size).toBe(49);
    expect(new Set(delivered.map((e) => e.eventId))).toEqual(new Set([held.eventId, ...written]));
    expect(delivered[0].eventId).toBe(held.eventId);
    const positions = delivered.map((e) => e.globalPosition);
    expect(positions).toEqual([...positions].sort());
    expect(new Set(positions).size).toBe(positions.length);
    const readBack = await readAllUntil(fx.store, { streamPrefix: prefix, maxCount: 7 }, 49);
    expect(readBack.map((e) => e.eventId)).toEqual(delivered.map((e) => e.eventId));
  });

  /** Opens a transaction, appends one event in it, and leaves it open until commit(). */
  async function holdTransactionWithEvent(streamId: string) {
    const runner = fx.app.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const e = event('Held');
    await fx.store.append(streamId, [e], 'no_stream', { manager: runner.manager });
    return {
      eventId: e.eventId,
      commit: async () => {
        await runner.commitTransaction();
        await runner.release();
      },
    };
  }

  /** Each writer appends inside its own transaction; commits are released last-started first. */
  async function writersCommittingInReverse(prefix: string, count: number, round: number): Promise<string[]> {
    const gates = Array.from({ length: count }, () => deferred());
    const appended = Array.from({ length: count }, () => deferred());
    const ids: string[] = [];
    const writers = Array.from({ length: count }, (_, w) =>
      fx.app.transaction(async (manager) => {
        const e = event('Written', { w, round });
        ids.push(e.eventId);
        await fx.store.append(`${prefix}-w${w}`, [e], round === 0 ? 'no_stream' : BigInt(round - 1), { manager });
        appended[w].resolve();
        await gates[w].promise;
      }),
    );
    await Promise.all(appended.map((a) => a.promise));
    const done = writers.map((p) => p.then(() => undefined));
    for (let w = count - 1; w >= 0; w--) {
      gates[w].resolve();
      await done[w];
    }
    return ids;
  }
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
