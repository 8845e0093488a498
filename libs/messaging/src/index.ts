export { backoffDelay } from './backoff';
export type { BackoffOptions } from './backoff';
export type { MessagingLog, MessagingLogLevel } from './messaging-log';
export type { MigrationClass } from './sql-migration';

export { outboxMigrations } from './outbox/outbox.migrations';
export { enqueueOutbox } from './outbox/outbox';
export type { OutboxMessage } from './outbox/outbox';
export { OutboxRelay } from './outbox/outbox-relay';
export type { OutboxRelayOptions } from './outbox/outbox-relay';

export { BatchYield, PoisonMessageError, batchHooksOf, isBatchYield, isPoison, undoesOwnWrites, withBatchHooks } from './inbound/inbound.types';
export type { BatchHooks, DeadLetterPolicy, InboundMessage, InboundTransport, MessageHandler, PartitionLag } from './inbound/inbound.types';
export { consumerMigrations } from './inbound/consumer.migrations';
export { KafkaInboundTransport } from './inbound/kafka-inbound-transport';
export type { KafkaInboundTransportOptions } from './inbound/kafka-inbound-transport';
export { PostgresLogInboundTransport } from './inbound/postgres-log-inbound-transport';
export type { PostgresLogInboundTransportOptions, PostgresLogSource } from './inbound/postgres-log-inbound-transport';

export { DeadLetterError, DLQ_HEADERS } from './dead-letters/dead-letter.types';
export { recordDeadLetter } from './dead-letters/record-dead-letter';
export type { DeadLetter, DeadLetterErrorCode, DeadLetterStatus } from './dead-letters/dead-letter.types';
export { discardDeadLetter, getDeadLetter, listDeadLetters, retryDeadLetter } from './dead-letters/dead-letters.admin';
export type { DeadLetterFilter } from './dead-letters/dead-letters.admin';
