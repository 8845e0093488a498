import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createPgFixture, type PgFixture } from './pg-fixture';

/**
 * event_store.append_batch must answer and store exactly what append_to_stream called once per
 * entry, in input order, in one transaction would. Two arms of one database run the same
 * history under different stream and event-id prefixes: arm "a" through append_batch (its
 * set-based path or its fallback), arm "b" through append_to_stream entry by entry; then the
 * error (SQLSTATE), the rows returned and every stored event of each arm must be equal.
 */
jest.setTimeout(180_000);

type Kind = 'any' | 'no_stream' | 'stream_exists' | 'exact';
interface Entry {
  stream: number;
  kind: Kind;
  revision: number | null;
  events: Array<{ id: number; type: string }>;
}

const entry = fc.record({
  stream: fc.integer({ min: 0, max: 3 }),
  kind: fc.constantFrom<Kind>('any', 'any', 'no_stream', 'stream_exists', 'exact'),
  revision: fc.integer({ min: -1, max: 4 }),
  // Ids 0..11: a batch may repeat one, or reuse one its history stored.
  events: fc.array(fc.record({ id: fc.integer({ min: 0, max: 11 }), type: fc.constantFrom('A', 'B') }), { minLength: 1, maxLength: 3 }),
}).map((e): Entry => ({ ...e, revision: e.kind === 'exact' ? e.revision : null }));

const history = fc.array(fc.record({ stream: fc.integer({ min: 0, max: 3 }), id: fc.integer({ min: 0, max: 11 }) }), { maxLength: 5 });

describe('event_store.append_batch against append_to_stream entry by entry', () => {
  let fx: PgFixture;

  beforeAll(async () => {
    fx = await createPgFixture('es_append_batch');
  });
  afterAll(() => fx?.close());

  const json = (run: string, arm: string, entries: Entry[]) =>
    entries.map((e) => ({
      s: `${run}-${arm}-${e.stream}`, k: e.kind, r: e.revision === null ? null : String(e.revision),
      e: e.events.map((x) => ({ i: `${run}-${arm}-${x.id}`, t: x.type, v: 1, d: { id: x.id }, m: {} })),
    }));

  /** The arm's events in $all order (transaction id, then position), prefixes removed. */
  async function stored(run: string, arm: string) {
    const rows: Array<{ stream_id: string; stream_revision: string; event_id: string; global_position: string }> = await fx.owner.query(
      `SELECT e.stream_id, e.stream_revision::text, e.event_id, e.global_position::text FROM event_store.events e WHERE e.stream_id LIKE $1 ORDER BY e.tx_id, e.global_position`,
      [`${run}-${arm}-%`],
    );
    const strip = (s: string) => s.slice(`${run}-${arm}-`.length);
    return { events: rows.map((r) => [strip(r.stream_id), r.stream_revision, strip(r.event_id)]), rank: new Map(rows.map((r, i) => [r.global_position, i])) };
  }

  async function outcome(run: string, arm: string, work: () => Promise<Array<{ ord: number; n: number; gp: string; rev: string }>>) {
    let rows: Array<{ ord: number; n: number; gp: string; rev: string }> = [];
    let error: string | null = null;
    try {
      rows = await work();
    } catch (e) {
      error = (e as { code?: string }).code ?? String(e);
    }
    const { events, rank } = await stored(run, arm);
    return { error, events, rows: rows.map((r) => [r.ord, r.n, r.rev, rank.get(r.gp)]) };
  }

  it('for any history and batch: same error, same rows, same stored events', async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.array(entry, { minLength: 1, maxLength: 4 }), async (past, batch) => {
        const run = `ab${randomUUID().slice(0, 8)}`;
        for (const arm of ['a', 'b']) {
          for (const h of past) {
            await fx.owner.query('SELECT event_store.append_to_stream($1, $2, NULL, $3::jsonb)', [
              `${run}-${arm}-${h.stream}`, 'any', JSON.stringify([{ i: `${run}-${arm}-${h.id}`, t: 'H', v: 1, d: {}, m: {} }]),
            ]);
          }
        }
        const viaBatch = await outcome(run, 'a', async () =>
          fx.owner.query(
            `SELECT b_ord AS ord, b_n AS n, b_global_position::text AS gp, b_current_revision::text AS rev FROM event_store.append_batch($1::jsonb)`,
            [JSON.stringify(json(run, 'a', batch))],
          ),
        );
        const oneByOne = await outcome(run, 'b', () =>
          fx.owner.transaction(async (m) => {
            const rows: Array<{ ord: number; n: number; gp: string; rev: string }> = [];
            for (const [i, e] of json(run, 'b', batch).entries()) {
              const got: Array<{ n: string; gp: string; rev: string }> = await m.query(
                `SELECT n::text, r.o_global_position::text AS gp, r.o_current_revision::text AS rev
                   FROM event_store.append_to_stream($1, $2, $3::bigint, $4::jsonb)
                        WITH ORDINALITY AS r(o_event_id, o_stream_id, o_stream_revision, o_tx_id, o_global_position, o_duplicate, o_current_revision, n)`,
                [e.s, e.k, e.r, JSON.stringify(e.e)],
              );
              rows.push(...got.map((g) => ({ ord: i + 1, n: Number(g.n), gp: g.gp, rev: g.rev })));
            }
            return rows;
          }),
        );
        expect(viaBatch).toEqual(oneByOne);
      }),
      { numRuns: 150 },
    );
  });

  it('a batch of distinct streams and new, distinct events takes the set-based path: append_to_stream is never called', async () => {
    const run = `ab${randomUUID().slice(0, 8)}`;
    const batch: Entry[] = [0, 1, 2, 3].map((stream) => ({ stream, kind: 'no_stream', revision: null, events: [{ id: stream * 2, type: 'A' }, { id: stream * 2 + 1, type: 'B' }] }));
    const perEntryCalls = (fallback: Entry[]) =>
      fx.owner.transaction(async (m) => {
        await m.query(`SET LOCAL track_functions = 'pl'`);
        await m.query('SELECT count(*) FROM event_store.append_batch($1::jsonb)', [JSON.stringify(json(run, fallback === batch ? 'a' : 'b', fallback))]);
        const rows: Array<{ calls: string }> = await m.query(`SELECT calls::text FROM pg_stat_xact_user_functions WHERE funcname = 'append_to_stream'`);
        return Number(rows[0]?.calls ?? 0);
      });
    expect(await perEntryCalls(batch)).toBe(0);
    expect((await stored(run, 'a')).events).toEqual([0, 1, 2, 3].flatMap((s) => [[`${s}`, '0', `${s * 2}`], [`${s}`, '1', `${s * 2 + 1}`]]));
    // The same stream twice: entry by entry.
    expect(await perEntryCalls([...batch.slice(0, 2), { ...batch[0], kind: 'any' }])).toBe(3);
  });
});
