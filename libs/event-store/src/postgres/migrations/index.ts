import { EventStoreSchema1767225600000 } from './1767225600000-event-store-schema';
import { EventStoreAppendPlanPerCall1767225600100 } from './1767225600100-append-plan-per-call';
import { EventStoreAppendBatch1767225600200 } from './1767225600200-append-batch';
import { EventStoreAppendCachedPlans1767225600300 } from './1767225600300-append-cached-plans';

/** Compose with the app's own: `migrations: [...eventStoreMigrations, eventStoreAppRoleMigration({ role }), ...own]`. */
export const eventStoreMigrations = [
  EventStoreSchema1767225600000, EventStoreAppendPlanPerCall1767225600100, EventStoreAppendBatch1767225600200, EventStoreAppendCachedPlans1767225600300,
];

export { EventStoreAppendBatch1767225600200, EventStoreAppendCachedPlans1767225600300, EventStoreAppendPlanPerCall1767225600100, EventStoreSchema1767225600000 };
export { eventStoreAppRoleMigration, eventStoreAppRoleSql, type EventStoreAppRoleOptions } from './app-role';
