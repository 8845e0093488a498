import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { AdminActionsModule } from '../admin/admin-actions.module';
import { AccessLogProjection } from './access/access-log.projection';
import { AuditAccessInterceptor } from './access/audit-access.interceptor';
import { AsOfService } from './as-of/as-of.service';
import { AS_OF_READERS, type AsOfReader } from './as-of/as-of.types';
import { AuditHistoryService } from './history/audit-history.service';
import { AuditHistoryController } from './http/audit-history.controller';
import { AuditProjectionsController } from './http/audit-projections.controller';
import { AuditViewsController } from './http/audit-views.controller';
import { ProjectionCatalog } from './projection-catalog';
import { RebuildService } from './rebuild/rebuild.service';

export { auditMigrations } from './migrations';

export interface AuditOptions {
  /** The as-of views features provide (client: ClientViewAsOfReader; kpi: crediting's). Stateless classes, provided here. */
  asOfReaders: Array<Type<AsOfReader>>;
  /** Modules the readers need, if any. */
  imports?: Array<Type<unknown> | DynamicModule>;
}

/**
 * The access log projection on its own, so the app can list it among the core's
 * projections (`imports` and `projections` of CoordinationCoreModule.forRoot).
 */
@Module({ providers: [AccessLogProjection], exports: [AccessLogProjection] })
export class AuditProjectionsModule {}

/** The read-only audit API (/v1/audit) and the rebuild service the replay CLI uses. */
@Module({})
export class AuditModule {
  static forRoot(options: AuditOptions): DynamicModule {
    const readers: Provider = { provide: AS_OF_READERS, useFactory: (...r: AsOfReader[]) => r, inject: options.asOfReaders };
    return {
      module: AuditModule,
      imports: [AdminActionsModule, ...(options.imports ?? [])],
      controllers: [AuditHistoryController, AuditViewsController, AuditProjectionsController],
      providers: [...options.asOfReaders, readers, ProjectionCatalog, RebuildService, AsOfService, AuditHistoryService, AuditAccessInterceptor],
      exports: [RebuildService, AsOfService, ProjectionCatalog],
    };
  }
}
