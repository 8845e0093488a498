import type { SubsidiaryEvent } from '@lib/contracts';
import type { EntityManager } from 'typeorm';
import type { InboundSource } from './inbound.types';

/** True the first time an event id is seen; the primary key makes the check race-free. */
export async function markProcessed(manager: EntityManager, eventId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    'INSERT INTO coordination.processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id',
    [eventId],
  );
  return rows.length === 1;
}

/** First retry of a parked event by the sweep (soon: most wait only for a concurrent batch), then doubling up to an hour. */
export const PARKED_RETRY_BASE_MS = 500;
export const PARKED_RETRY_MAX_MS = 3_600_000;
export const parkedRetryDelayMs = (attempts: number): number => Math.min(PARKED_RETRY_MAX_MS, PARKED_RETRY_BASE_MS * 2 ** Math.min(attempts, 22));

/** `attempts`: how many times the sweep has already retried it (0 when parked by the consumer). */
/** What a batch needs to know up front: which of its events were handled before, which keys have events waiting. */
export async function batchFacts(manager: EntityManager, eventIds: string[], keys: string[]): Promise<{ processed: Set<string>; waiting: Set<string> }> {
  const rows: Array<{ kind: 'p' | 'w'; value: string }> = await manager.query(
    `SELECT 'p' AS kind, event_id::text AS value FROM coordination.processed_events WHERE event_id = ANY($1::uuid[])
     UNION ALL
     SELECT DISTINCT 'w', awaits FROM coordination.parked_events WHERE awaits = ANY($2::text[])`,
    [eventIds, keys],
  );
  const processed = new Set<string>();
  const waiting = new Set<string>();
  for (const row of rows) (row.kind === 'p' ? processed : waiting).add(row.value);
  return { processed, waiting };
}

export async function isProcessed(manager: EntityManager, eventId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query('SELECT 1 FROM coordination.processed_events WHERE event_id = $1', [eventId]);
  return rows.length > 0;
}

/** Records a batch's handled event ids in one statement; answers how many were new (fewer: another consumer got there). */
export async function markAllProcessed(manager: EntityManager, eventIds: string[]): Promise<number> {
  const rows: unknown[] = await manager.query(
    'INSERT INTO coordination.processed_events (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id',
    [eventIds],
  );
  return rows.length;
}

export async function park(manager: EntityManager, awaits: string, event: SubsidiaryEvent, source: InboundSource, reason: string, attempts = 0): Promise<void> {
  await manager.query(
    `INSERT INTO coordination.parked_events (event_id, awaits, event, source, reason, attempts, retry_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 millisecond') ON CONFLICT (event_id) DO NOTHING`,
    [event.eventId, awaits, JSON.stringify(event), JSON.stringify(source), reason, attempts, parkedRetryDelayMs(attempts)],
  );
}

/** Parked events whose retry is due, taken (deleted) in the order they were parked; rows another sweep holds are skipped. */
export async function takeDueParked(manager: EntityManager, limit: number): Promise<Array<{ event: SubsidiaryEvent; source: InboundSource; attempts: number }>> {
  type Row = { id: string; event: SubsidiaryEvent; source: InboundSource; attempts: number };
  const result: Row[] | [Row[], number] = await manager.query(
    `DELETE FROM coordination.parked_events WHERE id IN (
       SELECT id FROM coordination.parked_events WHERE retry_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
     ) RETURNING id, event, source, attempts`,
    [limit],
  );
  const rows = (Array.isArray(result[0]) ? result[0] : result) as Row[];
  return rows.sort((a, b) => Number(a.id) - Number(b.id)).map(({ event, source, attempts }) => ({ event, source, attempts }));
}

export async function takeParked(manager: EntityManager, awaits: string): Promise<Array<{ event: SubsidiaryEvent; source: InboundSource }>> {
  type Row = { id: string; event: SubsidiaryEvent; source: InboundSource };
  const result: Row[] | [Row[], number] = await manager.query(
    `DELETE FROM coordination.parked_events WHERE id IN (
       SELECT id FROM coordination.parked_events WHERE awaits = $1 ORDER BY id FOR UPDATE
     ) RETURNING id, event, source`,
    [awaits],
  );
  // TypeORM answers a DELETE with [rows, rowCount]; an INSERT or SELECT with rows alone.
  const rows = (Array.isArray(result[0]) ? result[0] : result) as Row[];
  // DELETE ... RETURNING has no order; replay in the order the events were parked.
  return rows.sort((a, b) => Number(a.id) - Number(b.id)).map(({ event, source }) => ({ event, source }));
}

export interface ParkedEventRow {
  id: string;
  eventId: string;
  awaits: string;
  type: string;
  subsidiary: string;
  reason: string;
  parkedAt: Date;
}

export async function listParked(manager: EntityManager, limit = 100): Promise<ParkedEventRow[]> {
  return manager.query(
    `SELECT id, event_id AS "eventId", awaits, event->>'type' AS type, event->>'subsidiary' AS subsidiary, reason, parked_at AS "parkedAt"
       FROM coordination.parked_events ORDER BY id LIMIT $1`,
    [limit],
  );
}
