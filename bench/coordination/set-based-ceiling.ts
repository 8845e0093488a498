/**
 * What set-based handling of registrations could get out of PostgreSQL on this machine: the rows
 * a new client's registration writes today (two events on a new party stream, the stream row, an
 * identity key, a party link, three match candidates, a client look-up row, a 360° view, a processed
 * id), written per slice of 50 registrations with one statement per table, one transaction and the
 * offset per slice, after one look-up of the slice's keys and candidates, on two connections at once
 * (as concurrent partitions: PostgreSQL may use both cores). Into copies of the real
 * tables (same columns, indexes and constraints) in a scratch schema, so the running service sees
 * none of it. No decisions, no locks, no checks: PostgreSQL's side only, an upper bound for that design.
 */
import { randomUUID as uuid } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { BenchMessage } from './workload';

export interface SetBasedCeiling {
  registrations: number;
  slice: number;
  /** Connections writing slices at once. */
  lanes: number;
  registrationsPerSecond: number;
  /** Statements per slice, BEGIN and COMMIT included. */
  statementsPerSlice: number;
}

const SCRATCH = 'bench_set_based';
const COPIES: Array<[string, string]> = [
  ['event_store', 'streams'], ['event_store', 'events'], ['coordination', 'identity_keys'], ['coordination', 'party_links'],
  ['coordination', 'match_candidates'], ['coordination', 'client_lookup'], ['coordination', 'client_view'], ['coordination', 'processed_events'],
  ['coordination', 'consumer_offsets'],
];

export async function setBasedCeiling(pool: Pool, sample: BenchMessage[], registrations = 20_000, slice = 50, lanes = 2): Promise<SetBasedCeiling> {
  const clients = await Promise.all(Array.from({ length: lanes }, () => pool.connect()));
  const [first] = clients;
  try {
    await first.query(`DROP SCHEMA IF EXISTS ${SCRATCH} CASCADE; CREATE SCHEMA ${SCRATCH}`);
    // INCLUDING ALL copies defaults, constraints and indexes; triggers are left behind (they only refuse updates of events).
    for (const [schema, table] of COPIES) await first.query(`CREATE TABLE ${SCRATCH}.${table} (LIKE ${schema}.${table} INCLUDING ALL)`);
    const view = await aView(first);
    const payloads = sample.map((m) => m.value);
    const slices = Math.ceil(registrations / slice);
    let next = 0;
    const t0 = process.hrtime.bigint();
    // `lanes` connections take slices in turn, as concurrent partitions would: PostgreSQL may use every core.
    await Promise.all(clients.map(async (client, lane) => {
      for (let s = next++; s < slices; s = next++) {
        const from = s * slice;
        const taken = Array.from({ length: Math.min(slice, registrations - from) }, (_, i) => payloads[(from + i) % payloads.length]);
        await writeSlice(client, taken, view, lane, s);
      }
    }));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { registrations, slice, lanes, registrationsPerSecond: Math.round(registrations / seconds), statementsPerSlice: 13 };
  } finally {
    await first.query(`DROP SCHEMA IF EXISTS ${SCRATCH} CASCADE`).catch(() => undefined);
    for (const client of clients) client.release();
  }
}

/** A view of median size among those the pipeline built, as the template of every view written. */
async function aView(client: PoolClient): Promise<string> {
  const { rows } = await client.query<{ view: string }>(
    'SELECT view::text AS view FROM coordination.client_view ORDER BY length(view::text) OFFSET (SELECT count(*) / 2 FROM coordination.client_view) LIMIT 1',
  );
  return rows[0]?.view ?? '{}';
}

async function writeSlice(client: PoolClient, payloads: string[], view: string, lane: number, offset: number): Promise<void> {
  const n = payloads.length;
  const parties = payloads.map(() => uuid());
  const streams = parties.map((p) => `party-${p}`);
  const localIds = parties.map((p) => `L-${p.slice(0, 12)}`);
  const keys = parties.map((p) => `hash-${p}`);
  const blocking = parties.flatMap((p) => [`phone:${p.slice(0, 8)}`, `dob:${p.slice(9, 13)}`, `pinyin:${p.slice(14, 18)}`]);
  await client.query('BEGIN');
  try {
    // The one look-up of the slice: keys owned, and candidates sharing a blocking key.
    await client.query(
      `SELECT k.party_id FROM ${SCRATCH}.identity_keys k WHERE k.kind = 'id-hash' AND k.value = ANY($1::text[])
       UNION ALL SELECT c.party_id FROM ${SCRATCH}.match_candidates c WHERE c.blocking_key = ANY($2::text[])`,
      [keys, blocking],
    );
    await client.query(`INSERT INTO ${SCRATCH}.streams (stream_id, revision) SELECT unnest($1::text[]), -1 ON CONFLICT (stream_id) DO NOTHING`, [streams]);
    await client.query(
      `INSERT INTO ${SCRATCH}.events (event_id, stream_id, stream_revision, type, schema_version, data, metadata)
       SELECT gen_random_uuid()::text, s.id, r.rev, 'Bench', 1, s.payload::jsonb, '{}'::jsonb
         FROM unnest($1::text[], $2::text[]) AS s(id, payload), (VALUES (0), (1)) AS r(rev)`,
      [streams, payloads],
    );
    await client.query(`UPDATE ${SCRATCH}.streams SET revision = 1, last_tx_id = pg_current_xact_id() WHERE stream_id = ANY($1::text[])`, [streams]);
    await client.query(`INSERT INTO ${SCRATCH}.identity_keys (kind, value, party_id) SELECT 'id-hash', unnest($1::text[]), unnest($2::uuid[])`, [keys, parties]);
    await client.query(`INSERT INTO ${SCRATCH}.party_links (subsidiary, local_id, party_id) SELECT 'life', unnest($1::text[]), unnest($2::uuid[])`, [localIds, parties]);
    await client.query(
      `INSERT INTO ${SCRATCH}.match_candidates (blocking_key, subsidiary, local_id, party_id, record)
       SELECT b.key, 'life', l.id, l.party, l.payload::jsonb FROM unnest($1::text[], $2::uuid[], $3::text[]) WITH ORDINALITY AS l(id, party, payload, i)
         JOIN unnest($4::text[]) WITH ORDINALITY AS b(key, j) ON (b.j - 1) / 3 + 1 = l.i`,
      [localIds, parties, payloads, blocking],
    );
    await client.query(`INSERT INTO ${SCRATCH}.client_lookup (subsidiary, local_id, party_id) SELECT 'life', unnest($1::text[]), unnest($2::uuid[])`, [localIds, parties]);
    await client.query(
      `INSERT INTO ${SCRATCH}.client_view (party_id, view, tier, updated_at, updated_position) SELECT unnest($1::uuid[]), $2::jsonb, 'standard', now(), '0'`,
      [parties, view],
    );
    await client.query(`INSERT INTO ${SCRATCH}.processed_events (event_id) SELECT unnest($1::uuid[])`, [Array.from({ length: n }, () => uuid())]);
    await client.query(
      `INSERT INTO ${SCRATCH}.consumer_offsets (group_id, topic, "partition", next_offset) VALUES ('bench', 'bench', $2, $1)
       ON CONFLICT (group_id, topic, "partition") DO UPDATE SET next_offset = EXCLUDED.next_offset`,
      [offset + 1, lane],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
