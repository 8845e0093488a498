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

export async function park(manager: EntityManager, awaits: string, event: SubsidiaryEvent, source: InboundSource, reason: string): Promise<void> {
  await manager.query(
    `INSERT INTO coordination.parked_events (event_id, awaits, event, source, reason)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING`,
    [event.eventId, awaits, JSON.stringify(event), JSON.stringify(source), reason],
  );
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
