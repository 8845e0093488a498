import { runEventStoreContract } from '@lib/event-store/testing/event-store.contract';
import { createPgFixture } from './pg-fixture';

runEventStoreContract('PostgreSQL (as the application role)', async ({ upcasters }) => {
  const fixture = await createPgFixture('es_contract', { upcasters });
  return { store: fixture.store, close: fixture.close };
});
