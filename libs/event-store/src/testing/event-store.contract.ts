import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent, RecordedEvent } from '../event-store.port';
import { InvalidAppendError, WrongExpectedRevisionError } from '../errors';
import { START_POSITION } from '../position';
import { UpcasterRegistry } from '../upcasters';
import { readAllUntil } from './read-all-until';

export interface ContractSubject {
  store: EventStore;
  close(): Promise<void>;
}

/** Builds a store for the suite; `upcasters` must be passed to the store (one test relies on it). */
export type ContractFactory = (deps: { upcasters: UpcasterRegistry }) => Promise<ContractSubject>;

export const UPCAST_TYPE = 'ContractUpcastProbe';

/** The behaviour every EventStore adapter must show. Each test writes to its own streams. */
export function runEventStoreContract(name: string, factory: ContractFactory): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    const run = `c${randomUUID().slice(0, 8)}`;
    const stream = (label: string) => `${run}-${label}-${randomUUID().slice(0, 6)}`;

    beforeAll(async () => {
      const upcasters = new UpcasterRegistry().register(UPCAST_TYPE, 1, (data) => ({ ...(data as object), upcasted: true }));
      subject = await factory({ upcasters });
      store = subject.store;
    });
    afterAll(() => subject?.close());

    it('given a new stream, when appending with no_stream, then readStream returns every field in revision order', async () => {
      const id = stream('fields');
      const events = [event('A', { n: 1, money: '12000.00' }, { correlationId: 'corr-1', causationId: null, actor: 'u:1', source: { kind: 'kafka', topic: 't', partition: 2, offset: '17' }, occurredAt: '2026-03-01T00:00:00.000Z' }), event('B', { n: 2 })];
      const result = await store.append(id, events, 'no_stream');
      expect(result).toMatchObject({ streamId: id, nextExpectedRevision: 1n });
      expect(result.positions).toHaveLength(2);
      expect(result.positions[0] < result.positions[1]).toBe(true);
      const read = await store.readStream(id);
      expect(read.map(strip)).toEqual([
        { eventId: events[0].eventId, type: 'A', schemaVersion: 1, data: events[0].data, metadata: events[0].metadata, streamId: id, streamRevision: 0n },
        { eventId: events[1].eventId, type: 'B', schemaVersion: 1, data: events[1].data, metadata: {}, streamId: id, streamRevision: 1n },
      ]);
      expect(read.map((e) => e.globalPosition)).toEqual(result.positions);
      expect(read[0].recordedAt).toBeInstanceOf(Date);
    });

    it('given a stream at revision 1, when the expected revision is exact and right, then the append succeeds; when wrong, it names stream, expected and actual', async () => {
      const id = stream('exact');
      await store.append(id, [event('A'), event('A')], 'no_stream');
      await expect(store.append(id, [event('B')], 1n)).resolves.toMatchObject({ nextExpectedRevision: 2n });
      const failure = await store.append(id, [event('C')], 1n).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(WrongExpectedRevisionError);
      expect(failure).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', streamId: id, expected: 1n, actual: 2n });
      expect((await store.readStream(id)).map((e) => e.type)).toEqual(['A', 'A', 'B']);
    });

    it('enforces no_stream, stream_exists and any', async () => {
      const id = stream('states');
      await expect(store.append(id, [event('A')], 'stream_exists')).rejects.toMatchObject({ code: 'WRONG_EXPECTED_REVISION', expected: 'stream_exists', actual: -1n });
      await store.append(id, [event('A')], 'no_stream');
      await expect(store.append(id, [event('A')], 'no_stream')).rejects.toMatchObject({ code: 'WRONG_EXPECTED_REVISION', expected: 'no_stream', actual: 0n });
      await expect(store.append(id, [event('B')], 'stream_exists')).resolves.toMatchObject({ nextExpectedRevision: 1n });
      await expect(store.append(id, [event('C')], 'any')).resolves.toMatchObject({ nextExpectedRevision: 2n });
      await expect(store.append(stream('fresh'), [event('C')])).resolves.toMatchObject({ nextExpectedRevision: 0n });
    });

    it('given an append that succeeded, when it is retried with the same events, then it is a no-op reporting the original positions', async () => {
      const id = stream('idem');
      const events = [event('A'), event('B')];
      const first = await store.append(id, events, 'no_stream');
      const retry = await store.append(id, events, 'no_stream');
      expect(retry).toEqual(first);
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('reads a stream backwards, from a revision, with maxCount; a missing stream reads empty', async () => {
      const id = stream('read');
      await store.append(id, [0, 1, 2, 3, 4].map((n) => event('N', { n })));
      const revisions = (events: RecordedEvent[]) => events.map((e) => e.streamRevision);
      expect(revisions(await store.readStream(id, { from: 2n, maxCount: 2 }))).toEqual([2n, 3n]);
      expect(revisions(await store.readStream(id, { direction: 'backwards', maxCount: 2 }))).toEqual([4n, 3n]);
      expect(revisions(await store.readStream(id, { direction: 'backwards', from: 1n }))).toEqual([1n, 0n]);
      expect(await store.readStream(stream('missing'))).toEqual([]);
    });

    it('answers a stream\'s newest event id and revision as its head; a missing stream has none', async () => {
      const id = stream('head');
      await store.append(id, [event('A'), event('B')]);
      const [newest] = await store.readStream(id, { direction: 'backwards', maxCount: 1 });
      expect(await store.streamHead(id)).toEqual({ eventId: newest.eventId, streamRevision: 1n });
      const next = event('C');
      await store.append(id, [next], 1n);
      expect(await store.streamHead(id)).toEqual({ eventId: next.eventId, streamRevision: 2n });
      expect(await store.streamHead(stream('head-missing'))).toBeNull();
    });

    it('reads several streams at once, each whole and in revision order; a missing stream reads empty', async () => {
      const [a, b, missing] = [stream('multi-a'), stream('multi-b'), stream('multi-missing')];
      await store.append(a, [event('A', { n: 0 }), event('A', { n: 1 })]);
      await store.append(b, [event('B', { n: 0 })]);
      await store.append(a, [event('A', { n: 2 })]);
      const read = await store.readStreams([b, missing, a]);
      expect([...read.keys()].sort()).toEqual([a, b, missing].sort());
      expect(read.get(a)).toEqual(await store.readStream(a));
      expect(read.get(a)!.map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2]);
      expect(read.get(b)).toEqual(await store.readStream(b));
      expect(read.get(missing)).toEqual([]);
    });

    it('appendMany is atomic: one failing expectation stores nothing', async () => {
      const [a, b] = [stream('many-a'), stream('many-b')];
      await store.append(b, [event('X')]);
      await expect(store.appendMany([{ streamId: a, events: [event('A')], expected: 'no_stream' }, { streamId: b, events: [event('B')], expected: 'no_stream' }])).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(a)).toEqual([]);
      const results = await store.appendMany([{ streamId: a, events: [event('A'), event('A')], expected: 'no_stream' }, { streamId: b, events: [event('B')], expected: 0n }]);
      expect(results.map((r) => [r.streamId, r.nextExpectedRevision])).toEqual([[a, 1n], [b, 1n]]);
    });

    it('readAll returns $all in order with type and stream-prefix filters, page by page', async () => {
      const prefix = stream('all');
      await store.append(`${prefix}-1`, [event('P', { i: 1 }), event('Q', { i: 2 })]);
      await store.append(`${prefix}-2`, [event('P', { i: 3 })]);
      await store.append(`${prefix}-1`, [event('P', { i: 4 })]);
      const all = await readAllUntil(store, { streamPrefix: prefix, maxCount: 2 }, 4);
      expect(all.map((e) => (e.data as { i: number }).i)).toEqual([1, 2, 3, 4]);
      expect([...all.map((e) => e.globalPosition)].sort()).toEqual(all.map((e) => e.globalPosition));
      const onlyP = await store.readAll({ streamPrefix: prefix, types: ['P'], fromPosition: START_POSITION });
      expect(onlyP.events.map((e) => (e.data as { i: number }).i)).toEqual([1, 3, 4]);
      const after = await store.readAll({ streamPrefix: prefix, fromPosition: all[1].globalPosition, maxCount: 10 });
      expect(after.events.map((e) => e.eventId)).toEqual([all[2].eventId, all[3].eventId]);
      expect(after.isEnd).toBe(true);
    });

    it('readAll and readStream return the same recorded events, every field', async () => {
      const prefix = stream('same');
      await store.append(`${prefix}-1`, [event('P', { i: 1, nested: { list: [1, 'two', null] } }), event('Q', { i: 2 })]);
      await store.append(`${prefix}-2`, [event('P', { i: 3 })]);
      const all = await readAllUntil(store, { streamPrefix: prefix }, 3);
      const viaStreams = [...(await store.readStream(`${prefix}-1`)), ...(await store.readStream(`${prefix}-2`))];
      expect(all).toEqual(viaStreams.sort((a, b) => (a.globalPosition < b.globalPosition ? -1 : 1)));
    });

    it('readAll stops at toPosition (inclusive) and before recordedBefore, for as-of reads', async () => {
      const prefix = stream('asof');
      for (let i = 1; i <= 3; i++) await store.append(`${prefix}-${i}`, [event('T', { i })]);
      const all = await readAllUntil(store, { streamPrefix: prefix }, 3);
      const upTo = await store.readAll({ streamPrefix: prefix, toPosition: all[1].globalPosition });
      expect(upTo.events.map((e) => e.eventId)).toEqual([all[0].eventId, all[1].eventId]);
      expect(upTo.nextPosition <= all[1].globalPosition).toBe(true);
      const before = await store.readAll({ streamPrefix: prefix, recordedBefore: all[2].recordedAt });
      expect(before.events.map((e) => e.eventId)).not.toContain(all[2].eventId);
      expect(before.events.map((e) => e.eventId)).toContain(all[0].eventId);
    });

    it('subscribeToAll catches up, then delivers live events, in order', async () => {
      const prefix = stream('sub');
      await store.append(`${prefix}-1`, [event('S', { i: 1 }), event('S', { i: 2 })]);
      const seen: number[] = [];
      const sub = store.subscribeToAll({ streamPrefix: prefix, pollIntervalMs: 20, onEvents: async (events) => void seen.push(...events.map((e) => (e.data as { i: number }).i)) });
      try {
        await sub.caughtUp();
        await eventually(() => expect(seen).toEqual([1, 2]));
        await store.append(`${prefix}-2`, [event('S', { i: 3 })]);
        await eventually(() => expect(seen).toEqual([1, 2, 3]));
      } finally {
        await sub.stop();
      }
    });

    it('a named subscription stores its checkpoint and a later one resumes after it', async () => {
      const prefix = stream('ckpt');
      const checkpointName = `${prefix}-projection`;
      await store.append(`${prefix}-1`, [event('S', { i: 1 })]);
      const first: RecordedEvent[] = [];
      const sub1 = store.subscribeToAll({ checkpointName, streamPrefix: prefix, pollIntervalMs: 20, onEvents: async (events) => void first.push(...events) });
      await eventually(() => expect(first.map((e) => (e.data as { i: number }).i)).toEqual([1]));
      await sub1.stop();
      const stored = await store.getCheckpoint(checkpointName);
      expect(stored! >= first[0].globalPosition && stored! <= sub1.position()).toBe(true);
      await store.append(`${prefix}-1`, [event('S', { i: 2 })]);
      const second: number[] = [];
      const sub2 = store.subscribeToAll({ checkpointName, streamPrefix: prefix, pollIntervalMs: 20, onEvents: async (events) => void second.push(...events.map((e) => (e.data as { i: number }).i)) });
      try {
        await eventually(() => expect(second).toEqual([2]));
      } finally {
        await sub2.stop();
      }
    });

    it('compareAndSetCheckpoint moves only from the expected value', async () => {
      const name = stream('cas');
      expect(await store.getCheckpoint(name)).toBeNull();
      expect(await store.compareAndSetCheckpoint(name, null, 'p1')).toBe(true);
      expect(await store.compareAndSetCheckpoint(name, null, 'p2')).toBe(false);
      expect(await store.compareAndSetCheckpoint(name, 'p0', 'p2')).toBe(false);
      expect(await store.compareAndSetCheckpoint(name, 'p1', 'p2')).toBe(true);
      expect(await store.getCheckpoint(name)).toBe('p2');
    });

    it('upgrades old schema versions on read with the registered upcasters', async () => {
      const id = stream('upcast');
      await store.append(id, [{ ...event(UPCAST_TYPE, { v: 1 }), schemaVersion: 1 }, { ...event(UPCAST_TYPE, { v: 2 }), schemaVersion: 2 }]);
      const read = await store.readStream(id);
      expect(read.map((e) => [e.schemaVersion, e.data])).toEqual([[2, { v: 1, upcasted: true }], [2, { v: 2 }]]);
    });

    it('refuses malformed appends before writing anything', async () => {
      const id = stream('invalid');
      await expect(store.append(id, [])).rejects.toBeInstanceOf(InvalidAppendError);
      const twice = event('A');
      await expect(store.append(id, [twice, twice])).rejects.toMatchObject({ code: 'INVALID_APPEND' });
      await expect(store.append(id, [event('A', { s: 'nul\u0000' })])).rejects.toMatchObject({ code: 'INVALID_APPEND' });
      expect(await store.readStream(id)).toEqual([]);
    });
  });
}

export function event(type: string, data: unknown = {}, metadata?: NewEvent['metadata']): NewEvent {
  return { eventId: randomUUID(), type, data, ...(metadata && { metadata }) };
}

function strip({ globalPosition: _g, recordedAt: _r, ...rest }: RecordedEvent) {
  return rest;
}

async function eventually(assertion: () => void, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
