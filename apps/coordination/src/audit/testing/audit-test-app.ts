import type { PostgresEventStore } from '@lib/event-store';
import { ApiKeyStore, createService, PlatformModule, ROLES, type Role } from '@lib/platform';
import { Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AdminModule } from '../../admin/admin.module';
import { coordinationMigrations } from '../../app.module';
import { loadCoordinationConfig } from '../../config';
import { identityMigrations } from '../../identity/migrations';
import { CoordinationCoreModule, EventStoreModule } from '../../infrastructure/core.module';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { AccessLogProjection } from '../access/access-log.projection';
import { ClientViewAsOfReader } from '../as-of/client-view.as-of-reader';
import { AuditModule, auditMigrations, AuditProjectionsModule } from '../audit.module';
import { AuditTestTables1767329999999, PolicyBookProjection, StandInClientViewProjection, TestKpiAsOfReader, TestProjectionsModule } from './test-projections';

export interface AuditTestApp {
  app: NestFastifyApplication;
  store: PostgresEventStore;
  dataSource: DataSource;
  keys: Record<Role, string>;
  principalIds: Record<Role, string>;
}

/** The coordination app as the lead composes it, with the audit and admin modules and test projections. */
@Module({})
class AuditTestAppModule {
  static forRoot(databaseUrl: string): DynamicModule {
    const config = loadCoordinationConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.AUDIT_TEST_LOG_LEVEL ?? 'silent', NODE_ENV: 'test' });
    return {
      module: AuditTestAppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'coordination',
          config,
          // The app's list already names some of these once the lead composes them; each may run once.
          migrations: [...new Set([...coordinationMigrations, ...identityMigrations, ...auditMigrations, AuditTestTables1767329999999])],
        }),
        EventStoreModule,
        CoordinationCoreModule.forRoot({
          inboundHandlers: [],
          projections: [AccessLogProjection, PolicyBookProjection, StandInClientViewProjection],
          scheduledTasks: [],
          imports: [AuditProjectionsModule, TestProjectionsModule],
        }),
        AuditModule.forRoot({ asOfReaders: [ClientViewAsOfReader, TestKpiAsOfReader] }),
        AdminModule,
      ],
    };
  }
}

export async function startAuditTestApp(databaseUrl: string): Promise<AuditTestApp> {
  process.env.INBOUND_DISABLED = '1';
  process.env.SCHEDULER_DISABLED = '1';
  const app = await createService(AuditTestAppModule.forRoot(databaseUrl), { title: 'audit test', description: 'audit test' });
  await app.init();
  const keys = {} as Record<Role, string>;
  const principalIds = {} as Record<Role, string>;
  for (const role of ROLES) {
    const created = await app.get(ApiKeyStore).create({ name: `test ${role}`, role, createdBy: 'test' });
    keys[role] = created.key;
    principalIds[role] = created.id;
  }
  return { app, store: app.get(EVENT_STORE), dataSource: app.get(DataSource), keys, principalIds };
}
