/**
 * Feeding subsidiary events straight into a whole coordination app, as the arrival-order specs do:
 * one event per transaction through the inbound router (retried like the transport retries a batch),
 * and a wait for the credit-lines projection to catch up.
 */
import { createEvent, type EventType, type Subsidiary, type SubsidiaryEvent } from '@lib/contracts';
import { comparePositions, type EventStore } from '@lib/event-store';
import { encodePosition } from '@lib/event-store/position';
import { isPoison } from '@lib/messaging';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/infra/postgres';
import { createCoordinationApp } from '../coordination-app';
import { CreditLinesProjection } from '../crediting/projections/credit-lines.projection';
import { InboundRouter } from '../infrastructure/inbound/inbound-router';
import { checkpointOf, type Projection } from '../infrastructure/projections/projection.types';
import { EVENT_STORE } from '../infrastructure/tokens';
import { TEST_HMAC_KEY } from '../identity/testing/identity-app';

/** A canonical event with a fresh id, validated as the consumer will. */
export function subsidiaryEvent(type: EventType, subsidiary: Subsidiary, payload: object, occurredAt: string, correlation = 'whole-app'): SubsidiaryEvent {
  const built = createEvent({ type, eventId: randomUUID(), subsidiary, occurredAt, correlationId: `${correlation}-${type}`, payload });
  if (!built.ok) throw new Error(`bad test event ${type}: ${JSON.stringify(built.issues)}`);
  return built.event as SubsidiaryEvent;
}

/** One event in its own transaction, retried on a transient failure (a poison error is the test's to see). */
export async function dispatchReplayed(app: NestFastifyApplication, e: SubsidiaryEvent): Promise<void> {
  const source = { kind: 'replay' as const, topic: `subsidiary.${e.subsidiary}.events`, partition: 0, offset: '0' };
  for (let attempt = 1; ; attempt++) {
    try {
      return await app.get(DataSource).transaction((m) => app.get(InboundRouter).dispatch(e, source, m, 0));
    } catch (error) {
      if (isPoison(error) || attempt >= 5) throw error;
    }
  }
}

/** The credit-lines projection has applied the newest ledger line event. */
export async function creditLinesSettled(app: NestFastifyApplication): Promise<void> {
  const ds = app.get(DataSource);
  const store = app.get<EventStore>(EVENT_STORE);
  const projection = app.get(CreditLinesProjection);
  const [row] = await ds.query(
    `SELECT stream_id, stream_revision::text AS revision FROM event_store.events
      WHERE type = ANY($1::text[]) AND starts_with(stream_id, $2) ORDER BY tx_id DESC, global_position DESC LIMIT 1`,
    [projection.types, projection.streamPrefix],
  );
  if (!row) throw new Error('no ledger line event was stored');
  const [newest] = await store.readStream(row.stream_id, { from: BigInt(row.revision), maxCount: 1 });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const checkpoint = await store.getCheckpoint(checkpointOf(projection));
    if (checkpoint && comparePositions(checkpoint, newest.globalPosition) >= 0) return;
    if (Date.now() > deadline) throw new Error(`credit-lines projection at ${checkpoint}, still before ${newest.globalPosition}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A projection has applied every event of its types committed before the call (the newest read from the
 * table: readAll hides events above the commit horizon while an older transaction is open).
 */
export async function projectionSettled(app: NestFastifyApplication, projection: Projection): Promise<void> {
  const rows: Array<{ tx: string; pos: string }> = await app.get(DataSource).query(
    `SELECT tx_id::text AS tx, global_position::text AS pos FROM event_store.events
      WHERE type = ANY($1::text[]) ORDER BY tx_id DESC, global_position DESC LIMIT 1`,
    [projection.types ?? []],
  );
  if (!rows[0]) return;
  const target = encodePosition(rows[0].tx, rows[0].pos);
  const store = app.get<EventStore>(EVENT_STORE);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const checkpoint = await store.getCheckpoint(checkpointOf(projection));
    if (checkpoint && comparePositions(checkpoint, target) >= 0) return;
    if (Date.now() > deadline) throw new Error(`${projection.name} projection at ${checkpoint}, still before ${target}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A whole coordination app on a database of its own, its consumers and scheduler off: the specs feed it with dispatchReplayed. */
export async function startWholeApp(name: string): Promise<{ db: TestDatabase; app: NestFastifyApplication }> {
  const db = await createTestDatabase(name);
  process.env.INBOUND_DISABLED = '1';
  process.env.SCHEDULER_DISABLED = '1';
  const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', IDENTITY_HMAC_KEY: TEST_HMAC_KEY, DATABASE_POOL_SIZE: '4' };
  const { app } = await createCoordinationApp({ env, logger: false });
  await app.init();
  return { db, app };
}
