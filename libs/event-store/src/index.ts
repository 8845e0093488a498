export type {
  AppendHolding, AppendResult, BatchContext, HoldMark, EventMetadata, EventSource, EventStore, ExpectedRevision, IntegrityProblem,
  IntegrityProblemKind, IntegrityReport, NewEvent, ReadAllOptions, ReadAllResult, ReadStreamOptions, RecordedEvent,
  StreamAppend, StreamHead, SubscribeOptions, Subscription, TransactionOptions,
} from './event-store.port';
export {
  CheckpointConflictError, ConcurrentAppendError, EventStoreError, InvalidAppendError, InvalidArgumentError,
  InvalidPositionError, UnsupportedOperationError, WrongExpectedRevisionError, type EventStoreErrorCode,
} from './errors';
export { NO_STREAM_REVISION, describeExpected, isValidExpected, satisfiesExpected } from './expected-revision';
export { START_POSITION, comparePositions, isPosition } from './position';
export { WriteBehind, type HeldAppend } from './write-behind';
export { GroupAppender, type GroupAppenderOptions } from './group-append';
export { UpcasterRegistry, type UpcastFn, type UpcasterDefinition } from './upcasters';
export { canonicalJson } from './integrity/canonical-json';
export type { CheckpointStore } from './subscription/checkpoint-store';
export { PostgresEventStore, type PostgresEventStoreOptions, type SealerOptions } from './postgres/postgres-event-store';
export { PostgresCheckpointStore } from './postgres/pg-checkpoints';
export type { HorizonStatus } from './postgres/pg-horizon';
export {
  EventStoreSchema1767225600000, eventStoreAppRoleMigration, eventStoreAppRoleSql, eventStoreMigrations,
  type EventStoreAppRoleOptions,
} from './postgres/migrations';
// The KurrentDB adapter loads gRPC: import it from '@lib/event-store/kurrentdb' only where it is used.
