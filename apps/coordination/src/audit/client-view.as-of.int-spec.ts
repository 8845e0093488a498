import type { SubsidiaryEvent } from '@lib/contracts';
import { eventStoreMigrations, type PostgresEventStore } from '@lib/event-store';
import { encodePosition } from '@lib/event-store/position';
import { isPoison } from '@lib/messaging';
import { ApiKeyStore, createService, PlatformModule } from '@lib/platform';
import { Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { expectEventually } from '../../../../test/infra/expect-eventually';
import { createTestDatabase, type TestDatabase } from '../../../../test/infra/postgres';
import { loadCoordinationConfig } from '../config';
import { IdentityInboundHandler, IdentityModule, identityMigrations } from '../identity';
import { ClientViewProjection } from '../identity/projections/client-view.projection';
import { ClientEvents } from '../identity/testing/client-events';
import { TEST_HMAC_KEY } from '../identity/testing/identity-app';
import { CoordinationCoreModule, EventStoreModule } from '../infrastructure/core.module';
import { InboundRouter } from '../infrastructure/inbound/inbound-router';
import { coordinationMessagingMigrations } from '../infrastructure/inbound/inbound-runner';
import { coordinationCoreMigrations } from '../infrastructure/migrations';
import { checkpointOf } from '../infrastructure/projections/projection.types';
import { EVENT_STORE } from '../infrastructure/tokens';
import { ClientViewAsOfReader } from './as-of/client-view.as-of-reader';
import { AuditModule, auditMigrations } from './audit.module';

/**
 * The audit API over identity's real `client-view` projection: events fed through the
 * inbound router as a transport would, the as-of view recomputed from them, and a
 * rebuild compared with the live view.
 */
jest.setTimeout(120_000);

@Module({})
class IdentityAuditModule {
  static forRoot(databaseUrl: string): DynamicModule {
    const config = loadCoordinationConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', IDENTITY_HMAC_KEY: TEST_HMAC_KEY });
    return {
      module: IdentityAuditModule,
      imports: [
        PlatformModule.forRoot({
          service: 'coordination',
          config,
          migrations: [...eventStoreMigrations, ...coordinationMessagingMigrations, ...coordinationCoreMigrations, ...identityMigrations, ...auditMigrations],
        }),
        EventStoreModule,
        CoordinationCoreModule.forRoot({ inboundHandlers: [IdentityInboundHandler], projections: [ClientViewProjection], scheduledTasks: [], imports: [IdentityModule] }),
        AuditModule.forRoot({ asOfReaders: [ClientViewAsOfReader] }),
      ],
    };
  }
}

let db: TestDatabase;
let app: NestFastifyApplication;
let auditorKey: string;
const events = new ClientEvents();

async function feed(event: SubsidiaryEvent): Promise<void> {
  const source = { kind: 'replay' as const, topic: `subsidiary.${event.subsidiary}.events`, partition: 0, offset: event.eventId };
  for (let attempt = 1; ; attempt++) {
    try {
      return await app.get(DataSource).transaction((manager) => app.get(InboundRouter).dispatch(event, source, manager, 0));
    } catch (error) {
      if (isPoison(error) || attempt >= 5) throw error;
    }
  }
}

async function settled(): Promise<void> {
  const [row] = await app.get(DataSource).query(
    `SELECT tx_id::text AS tx, global_position::text AS gp FROM event_store.events WHERE type = ANY ($1) ORDER BY tx_id DESC, global_position DESC LIMIT 1`,
    [app.get(ClientViewProjection).types],
  );
  const target = encodePosition(row.tx, row.gp);
  await expectEventually(async () => expect(((await app.get<PostgresEventStore>(EVENT_STORE).getCheckpoint(checkpointOf({ name: 'client-view' }))) ?? '') >= target).toBe(true));
}

beforeAll(async () => {
  db = await createTestDatabase('audit_client_view');
  process.env.INBOUND_DISABLED = '1';
  process.env.SCHEDULER_DISABLED = '1';
  app = await createService(IdentityAuditModule.forRoot(db.url), { title: 'audit', description: 'audit' });
  await app.init();
  auditorKey = (await app.get(ApiKeyStore).create({ name: 'auditor', role: 'auditor', createdBy: 'test' })).key;
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe("as-of reads of identity's 360° view", () => {
  it('given a client renamed after an instant, then the as-of view shows the old name and the live one the new; a rebuild equals live', async () => {
    await feed(events.registered('life', 'LIFE-ASOF-1', { name: '王晓明', birthDate: '1980-05-05', phones: ['13800001111'] }));
    await settled();
    const [{ party_id: partyId, updated_at: before }] = await app.get(DataSource).query(
      `SELECT v.party_id::text AS party_id, v.updated_at FROM coordination.client_view v JOIN coordination.party_links l ON l.party_id = v.party_id
        WHERE l.subsidiary = 'life' AND l.local_id = 'LIFE-ASOF-1'`,
    );
    const [{ at: between }] = await app.get(DataSource).query(`SELECT $1::timestamptz + interval '2 milliseconds' AS at`, [before]);
    await expectEventually(async () => {
      const [row] = await app.get(DataSource).query(`SELECT clock_timestamp() > $1::timestamptz + interval '5 milliseconds' AS later`, [between]);
      expect(row.later).toBe(true);
    });
    await feed(events.updated('life', 'LIFE-ASOF-1', { name: '王小明', birthDate: '1980-05-05', phones: ['13800001111'] }));
    await settled();

    const http = () => request(app.getHttpServer());
    const asOf = await http().get(`/v1/audit/clients/${partyId}`).query({ asOf: new Date(between).toISOString() }).set('X-Api-Key', auditorKey).expect(200);
    expect(JSON.stringify(asOf.body.result.view)).toContain('王晓明');
    expect(JSON.stringify(asOf.body.result.view)).not.toContain('王小明');
    const [live] = await app.get(DataSource).query(`SELECT view FROM coordination.client_view WHERE party_id = $1`, [partyId]);
    expect(JSON.stringify(live.view)).toContain('王小明');

    const comparison = await http().get('/v1/audit/projections/client-view/comparison').set('X-Api-Key', auditorKey).expect(200);
    expect(comparison.body).toMatchObject({ projection: 'client-view', equal: true });
    expect(comparison.body.live.rows).toBeGreaterThan(0);
  });
});
