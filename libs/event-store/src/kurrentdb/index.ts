export { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb-event-store';
export { KurrentDbCheckpointStore } from './kurrentdb-checkpoints';
