export { AuditModule, AuditProjectionsModule, auditMigrations, type AuditOptions } from './audit.module';
export { AccessLogProjection } from './access/access-log.projection';
export { AS_OF_READERS, type AsOfParams, type AsOfReader, type AsOfResult } from './as-of/as-of.types';
export { AsOfService } from './as-of/as-of.service';
export { ClientViewAsOfReader } from './as-of/client-view.as-of-reader';
export { RebuildService } from './rebuild/rebuild.service';
export type { RebuildReport, TableComparison } from './rebuild/rebuild.types';
