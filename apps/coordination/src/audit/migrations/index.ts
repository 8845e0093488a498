import { AuditTables1767320000100 } from './1767320000100-audit';

/** The audit feature's migrations; the app lists them after the coordination core's. */
export const auditMigrations = [AuditTables1767320000100];
