import { EventStoreSchema1767225600000 } from './1767225600000-event-store-schema';

/** Compose with the app's own: `migrations: [...eventStoreMigrations, eventStoreAppRoleMigration({ role }), ...own]`. */
export const eventStoreMigrations = [EventStoreSchema1767225600000];

export { EventStoreSchema1767225600000 };
export { eventStoreAppRoleMigration, eventStoreAppRoleSql, type EventStoreAppRoleOptions } from './app-role';
