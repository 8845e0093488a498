/**
 * A coordination app with only the identity feature plugged in, on a real PostgreSQL
 * database, for integration tests. Inbound transports are off: tests feed events through
 * InboundRouter.dispatch inside a transaction, retried like the transport retries a batch.
 */
import { isPoison } from '@lib/messaging';
import type { SubsidiaryEvent } from '@lib/contracts';
import { comparePositions, eventStoreMigrations, type EventStore } from '@lib/event-store';
import { encodePosition } from '@lib/event-store/position';
import { createTestingService, PlatformModule } from '@lib/platform';
import { ApiKeyStore, type Role, type Subsidiary } from '@lib/platform/auth';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { loadCoordinationConfig } from '../../config';
import { CoordinationCoreModule } from '../../infrastructure/core.module';
import { InboundRouter } from '../../infrastructure/inbound/inbound-router';
import { coordinationMessagingMigrations } from '../../infrastructure/inbound/inbound-runner';
import { coordinationCoreMigrations } from '../../infrastructure/migrations';
import { checkpointOf } from '../../infrastructure/projections/projection.types';
import { EVENT_STORE } from '../../infrastructure/tokens';
import type { ClientView, MatchThresholds } from '../domain';
import { IDENTITY_SETTINGS, identitySettingsFrom } from '../identity.config';
import { IdentityModule } from '../identity.module';
import { IdentityInboundHandler } from '../inbound/identity.handler';
import { identityMigrations } from '../migrations';
import { ClientViewProjection } from '../projections/client-view.projection';

export const TEST_HMAC_KEY = 'test-identity-hmac-key-0123456789abcdef';

export interface IdentityTestApp {
  app: INestApplication;
  dataSource: DataSource;
  store: EventStore;
  feed(event: SubsidiaryEvent): Promise<void>;
  /** Waits until the client-view projection has applied every event committed before the call. */
  settle(): Promise<void>;
  view(partyId: string): Promise<ClientView | null>;
  partyOf(subsidiary: string, localId: string): Promise<string | null>;
  apiKey(role: Role, subsidiary?: Subsidiary): Promise<{ id: string; key: string }>;
  close(): Promise<void>;
}

export async function startIdentityApp(databaseUrl: string, thresholds?: MatchThresholds): Promise<IdentityTestApp> {
  process.env.INBOUND_DISABLED = '1';
  const config = loadCoordinationConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', IDENTITY_HMAC_KEY: TEST_HMAC_KEY, DATABASE_POOL_SIZE: '6' });
  const migrations = [...eventStoreMigrations, ...coordinationMessagingMigrations, ...coordinationCoreMigrations, ...identityMigrations];
  // PlatformModule brings the database (with the auth migrations) and the auth guards, as in the app.
  let builder = Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({ service: 'coordination', config, migrations }),
      CoordinationCoreModule.forRoot({ inboundHandlers: [IdentityInboundHandler], projections: [ClientViewProjection], scheduledTasks: [], imports: [IdentityModule] }),
    ],
  });
  if (thresholds) builder = builder.overrideProvider(IDENTITY_SETTINGS).useValue({ ...identitySettingsFrom(config), thresholds });
  const moduleRef = await builder.compile();
  const app = createTestingService(moduleRef, { title: 'identity test', description: 'identity test', logger: false });
  await app.init();
  const dataSource = app.get(DataSource);
  const store = app.get<EventStore>(EVENT_STORE);
  const router = app.get(InboundRouter);
  const projection = app.get(ClientViewProjection);
  let offset = 0;

  const feed = async (event: SubsidiaryEvent): Promise<void> => {
    const source = { kind: 'replay' as const, topic: `subsidiary.${event.subsidiary}.events`, partition: 0, offset: String(offset++) };
    for (let attempt = 1; ; attempt++) {
      try {
        return await dataSource.transaction((manager) => router.dispatch(event, source, manager, 0));
      } catch (error) {
        if (isPoison(error) || attempt >= 5) throw error;
      }
    }
  };

  // The newest committed event the projection subscribes to, read from the table: readAll hides
  // events above the commit horizon while any older transaction is open, which would end the wait early.
  const head = async (): Promise<string | null> => {
    const rows: Array<{ tx: string; pos: string }> = await dataSource.query(
      `SELECT tx_id::text AS tx, global_position::text AS pos FROM event_store.events
        WHERE type = ANY($1::text[]) ORDER BY tx_id DESC, global_position DESC LIMIT 1`,
      [projection.types],
    );
    return rows[0] ? encodePosition(rows[0].tx, rows[0].pos) : null;
  };

  const settle = async (): Promise<void> => {
    const target = await head();
    if (!target) return;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const checkpoint = await store.getCheckpoint(checkpointOf(projection));
      if (checkpoint && comparePositions(checkpoint, target) >= 0) return;
      if (Date.now() > deadline) throw new Error(`client-view projection at ${checkpoint}, behind ${target}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return {
    app, dataSource, store, feed, settle,
    view: async (partyId) => (await dataSource.query('SELECT view FROM coordination.client_view WHERE party_id = $1', [partyId]))[0]?.view ?? null,
    partyOf: async (subsidiary, localId) =>
      (await dataSource.query('SELECT party_id FROM coordination.party_links WHERE subsidiary = $1 AND local_id = $2', [subsidiary, localId]))[0]?.party_id ?? null,
    apiKey: async (role, subsidiary) => {
      const created = await app.get(ApiKeyStore).create({ name: `test-${role}`, role, subsidiary: subsidiary ?? null, createdBy: 'test' });
      return { id: created.id, key: created.key };
    },
    close: () => app.close(),
  };
}
