import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { runEventStoreContract } from '@lib/event-store/testing/event-store.contract';
import { KurrentDbEventStore } from '@lib/event-store/kurrentdb';

/**
 * The same contract against a live KurrentDB (25.1 or later, for multi-stream appends).
 * There is no KurrentDB in the default test infrastructure, so this runs only when
 * KURRENTDB_CONNECTION_STRING is set, e.g. kurrentdb://127.0.0.1:2113?tls=false after
 * `docker compose --profile kurrentdb up -d`.
 */
const connectionString = process.env.KURRENTDB_CONNECTION_STRING;

if (connectionString) {
  runEventStoreContract('KurrentDB', async ({ upcasters }) => {
    const client = KurrentDBClient.connectionString(connectionString);
    return { store: new KurrentDbEventStore({ client, upcasters }), close: () => client.dispose() };
  });
} else {
  describe.skip('EventStore contract: KurrentDB — skipped because KURRENTDB_CONNECTION_STRING is not set', () => {
    it('runs the shared contract against a live KurrentDB', () => undefined);
  });
  console.warn('[event-store] KurrentDB contract suite skipped: set KURRENTDB_CONNECTION_STRING (e.g. kurrentdb://127.0.0.1:2113?tls=false) to run it');
}
