import { randomUUID } from 'node:crypto';
import { GroupAppender, InvalidAppendError } from '@lib/event-store';
import { event } from '@lib/event-store/testing/event-store.contract';
import { createPgFixture, type PgFixture } from './pg-fixture';

describe('PostgreSQL appendMany in one statement, and grouped appends', () => {
  let fx: PgFixture;
  const run = `grp${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    fx = await createPgFixture('es_group_append', { poolSize: 12 });
  });
  afterAll(() => fx?.close());

  it('given 8 writers each appending to the same 6 streams in a different order, then none deadlocks and every stream is dense with every event once', async () => {
    const streams = Array.from({ length: 6 }, (_, i) => `${run}-shared-${i}`);
    const written = await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        const mine: string[] = [];
        for (let round = 0; round < 5; round++) {
          const order = [...streams].sort(() => Math.random() - 0.5);
          const batch = order.map((streamId) => ({ streamId, events: [event('Shared', { w, round })] }));
          const results = await fx.store.appendMany(batch);
          expect(results.map((r) => r.streamId)).toEqual(order);
          for (const [i, r] of results.entries()) {
            expect(r.positions).toHaveLength(1);
            mine.push(batch[i].events[0].eventId);
          }
        }
        return mine;
      }),
    );
    const stored = (await fx.store.readStreams(streams));
    for (const events of stored.values()) expect(events.map((e) => e.streamRevision)).toEqual(Array.from({ length: 40 }, (_, i) => BigInt(i)));
    expect(new Set([...stored.values()].flat().map((e) => e.eventId))).toEqual(new Set(written.flat()));
  });

  it('given one stream twice in a batch, then its events keep the batch order and each entry reports its own revision and positions', async () => {
    const s = `${run}-twice`;
    const [a, b, c] = [event('A'), event('B'), event('C')];
    const results = await fx.store.appendMany([{ streamId: s, events: [a, b] }, { streamId: `${run}-other`, events: [event('X')] }, { streamId: s, events: [c] }]);
    expect(results.map((r) => [r.streamId, r.nextExpectedRevision, r.positions.length])).toEqual([[s, 1n, 2], [`${run}-other`, 0n, 1], [s, 2n, 1]]);
    const stored = await fx.store.readStream(s);
    expect(stored.map((e) => e.eventId)).toEqual([a.eventId, b.eventId, c.eventId]);
    expect(stored.map((e) => e.globalPosition)).toEqual([...results[0].positions, ...results[2].positions]);
  });

  it('given many concurrent callers, then the grouped appender commits them in fewer transactions, and each caller is answered only once its event is stored', async () => {
    const appender = new GroupAppender(fx.store);
    const callers = Array.from({ length: 60 }, (_, i) => {
      const streamId = `${run}-reader-${i % 20}`;
      const e = event('Read', { i });
      return appender.append(streamId, [e]).then(async (result) => {
        // Answered: the event is already visible to any other connection.
        const stored = await fx.store.readStream(streamId);
        expect(stored.map((x) => x.eventId)).toContain(e.eventId);
        return { result, eventId: e.eventId };
      });
    });
    const done = await Promise.all(callers);
    const txs = await fx.app.query(`SELECT count(DISTINCT tx_id)::int AS n FROM event_store.events WHERE event_id = ANY($1::text[])`, [done.map((d) => d.eventId)]);
    expect(txs[0].n).toBeLessThan(60);
    expect(txs[0].n).toBeGreaterThanOrEqual(2);
  });

  it('given a group with one append that cannot be stored, then only that caller fails', async () => {
    const appender = new GroupAppender(fx.store);
    const first = appender.append(`${run}-g-0`, [event('Ok')]);
    // PostgreSQL's jsonb cannot hold U+0000: the group is refused whole, then each append is tried alone.
    const bad = appender.append(`${run}-g-bad`, [event('Bad', { text: 'nul \u0000 inside' })]);
    const others = [1, 2, 3].map((i) => appender.append(`${run}-g-${i}`, [event('Ok')]));
    await first;
    await expect(bad).rejects.toBeInstanceOf(InvalidAppendError);
    await Promise.all(others);
    for (const i of [1, 2, 3]) expect(await fx.store.readStream(`${run}-g-${i}`)).toHaveLength(1);
    expect(await fx.store.readStream(`${run}-g-bad`)).toEqual([]);
  });
});
