import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { NewEvent, StreamAppend } from '@lib/event-store';
import { readAllUntil } from '@lib/event-store/testing/read-all-until';
import { createPgFixture, type PgFixture } from './pg-fixture';

/** JSON as the store keeps it: what JSON.stringify writes, minus U+0000 (jsonb cannot hold it). */
const jsonData = fc
  .jsonValue({ maxDepth: 3 })
  .filter((v) => !JSON.stringify(v).includes('\\u0000'))
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);

const newEvent = fc.record({
  type: fc.constantFrom('ClientRegistered', 'PolicyIssued', 'ReferralRegistered'),
  schemaVersion: fc.integer({ min: 1, max: 3 }),
  data: jsonData,
  metadata: fc.record({ correlationId: fc.uuid(), actor: fc.string({ maxLength: 8 }) }),
});

const step = fc.array(fc.record({ stream: fc.integer({ min: 0, max: 3 }), events: fc.array(newEvent, { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 3 });

describe('PostgreSQL event store, property: what is appended is what is read', () => {
  let fx: PgFixture;

  beforeAll(async () => {
    fx = await createPgFixture('es_property');
  });
  afterAll(() => fx?.close());

  it('for any sequence of appends and appendManys, each stream and $all read back exactly what was appended, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const run = `prop${randomUUID().slice(0, 8)}`;
        const model = new Map<string, NewEvent[]>();
        const global: NewEvent[] = [];
        for (const s of steps) {
          const batch: StreamAppend[] = s.map(({ stream, events }) => {
            const streamId = `${run}-${stream}`;
            const withIds = events.map((e) => ({ ...e, eventId: randomUUID() }));
            const current = model.get(streamId) ?? [];
            const expected = current.length === 0 ? ('no_stream' as const) : BigInt(current.length - 1);
            model.set(streamId, [...current, ...withIds]);
            global.push(...withIds);
            return { streamId, events: withIds, expected };
          });
          if (batch.length === 1) await fx.store.append(batch[0].streamId, batch[0].events, batch[0].expected);
          else await fx.store.appendMany(batch);
        }
        for (const [streamId, events] of model) {
          const read = await fx.store.readStream(streamId);
          expect(read.map(({ eventId, type, schemaVersion, data, metadata }) => ({ eventId, type, schemaVersion, data, metadata }))).toEqual(events);
          expect(read.map((e) => e.streamRevision)).toEqual(events.map((_, i) => BigInt(i)));
        }
        const all = await readAllUntil(fx.store, { streamPrefix: `${run}-`, maxCount: 5 }, global.length);
        expect(all.map((e) => e.eventId)).toEqual(global.map((e) => e.eventId));
      }),
      { numRuns: 25 },
    );
  });
});
