import type { AppendResult, ExpectedRevision } from '../event-store.port';
import type { SerializedEvent } from '../append-validation';
import { ConcurrentAppendError, WrongExpectedRevisionError } from '../errors';
import { expectedFromSql, expectedToSql } from '../expected-revision';
import { encodePosition } from '../position';
import type { Queryable } from './pg-rows';

interface AppendRow {
  o_event_id: string;
  o_tx_id: string;
  o_global_position: string;
  o_current_revision: string;
}

const APPEND_SQL = `
  SELECT o_event_id, o_tx_id::text AS o_tx_id, o_global_position::text AS o_global_position,
         o_current_revision::text AS o_current_revision
    FROM event_store.append_to_stream($1, $2, $3, $4::jsonb)`;

/** One call of event_store.append_to_stream; every rule is enforced there. */
export async function appendToStream(
  q: Queryable,
  streamId: string,
  events: SerializedEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const [kind, revision] = expectedToSql(expected);
  const rows = await q
    .query<AppendRow[]>(APPEND_SQL, [streamId, kind, revision, eventsJson(events)])
    .catch((error: unknown) => {
      throw translateAppendError(error, streamId);
    });
  return {
    streamId,
    nextExpectedRevision: BigInt(rows[0].o_current_revision),
    positions: rows.map((r) => encodePosition(r.o_tx_id, r.o_global_position)),
  };
}

/**
 * Several streams' appends as one statement (so, outside a transaction, one implicit
 * transaction, one commit, one round trip): event_store.append_batch, which takes every
 * stream's lock first in one sorted pass (so two batches sharing streams queue rather than
 * deadlock), then appends as append_to_stream would entry by entry in input order, set-based
 * when every stream and event is distinct and new. Rows come back tagged with their entry and
 * their place in it, and are regrouped in input order.
 */
const APPEND_MANY_SQL = `
  SELECT b_ord AS ord, b_n AS n, b_tx_id::text AS o_tx_id, b_global_position::text AS o_global_position,
         b_current_revision::text AS o_current_revision
    FROM event_store.append_batch($1::jsonb)`;

interface AppendManyRow {
  ord: number;
  n: number;
  o_tx_id: string;
  o_global_position: string;
  o_current_revision: string;
}

export interface PreparedStreamAppend {
  streamId: string;
  expected: ExpectedRevision;
  events: SerializedEvent[];
}

/** Named, so each connection plans it once (append_batch plans its own statements per call). */
export async function appendManyInOneStatement(
  query: (sql: { name: string; text: string; values: unknown[] }) => Promise<AppendManyRow[]>,
  batch: PreparedStreamAppend[],
): Promise<AppendResult[]> {
  const entries = batch.map(({ streamId, expected, events }) => {
    const [kind, revision] = expectedToSql(expected);
    return `{"s":${JSON.stringify(streamId)},"k":"${kind}","r":${revision === null ? 'null' : `"${revision}"`},"e":${eventsJson(events)}}`;
  });
  const rows = await query({ name: 'event_store.append_many.2', text: APPEND_MANY_SQL, values: [`[${entries.join(',')}]`] }).catch((error: unknown) => {
    throw translateAppendError(error);
  });
  const byEntry: AppendManyRow[][] = batch.map(() => []);
  for (const row of rows) byEntry[row.ord - 1].push(row);
  return batch.map(({ streamId }, i) => {
    const own = byEntry[i].sort((a, b) => a.n - b.n);
    return {
      streamId,
      nextExpectedRevision: BigInt(own[0].o_current_revision),
      positions: own.map((r) => encodePosition(r.o_tx_id, r.o_global_position)),
    };
  });
}

/** data and metadata are JSON already: splice them in rather than escaping them again. */
function eventsJson(events: SerializedEvent[]): string {
  const items = events.map((e) => `{"i":${JSON.stringify(e.eventId)},"t":${JSON.stringify(e.type)},"v":${e.schemaVersion},"d":${e.data},"m":${e.metadata}}`);
  return `[${items.join(',')}]`;
}

interface PgErrorFields {
  code?: string;
  detail?: string;
  constraint?: string;
  message?: string;
}

/** Maps the SQLSTATEs the append path raises to the port's errors; anything else passes through. */
export function translateAppendError(error: unknown, streamId?: string): unknown {
  const e = (error ?? {}) as PgErrorFields;
  switch (e.code) {
    case 'ES001': {
      const d = JSON.parse(e.detail ?? '{}') as { streamId: string; expectedKind: string; expectedRevision: string | null; actual: string };
      return new WrongExpectedRevisionError(d.streamId, expectedFromSql(d.expectedKind, d.expectedRevision), BigInt(d.actual));
    }
    case 'ES002':
      return new ConcurrentAppendError(streamId, 'transaction_order', e.message ?? 'transaction order conflict');
    case '23505':
      return e.constraint === 'events_event_id_key' || e.constraint === 'events_stream_revision_key'
        ? new ConcurrentAppendError(streamId, 'event_id_race', `a concurrent transaction stored the same event (${e.constraint})`)
        : error;
    case '40P01':
      return new ConcurrentAppendError(streamId, 'deadlock', 'deadlock detected while appending');
    case '40001':
      return new ConcurrentAppendError(streamId, 'serialization', 'serialization failure while appending');
    default:
      return error;
  }
}

/** Own-transaction appends retry conflicts a fresh transaction resolves; callers' transactions get the error. */
export async function retryConcurrent<T>(attempt: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentAppendError) || i >= attempts) throw error;
    }
  }
}
