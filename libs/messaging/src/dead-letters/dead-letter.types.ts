export type DeadLetterStatus = 'open' | 'retried' | 'discarded';

export interface DeadLetter {
  id: string;
  groupId: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
  reason: string;
  code: string;
  /** The schema whose outbox the message was read from (embedded mode), else null. */
  sourceSchema: string | null;
  status: DeadLetterStatus;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export type DeadLetterErrorCode = 'DEAD_LETTER_NOT_FOUND' | 'DEAD_LETTER_NOT_OPEN';

export class DeadLetterError extends Error {
  constructor(
    readonly code: DeadLetterErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeadLetterError';
  }
}

/** Headers that explain a dead letter on `<topic>.dlq`. */
/** Header names on a dead-lettered record: one definition, in the contracts. */
export { DLQ_HEADERS } from '@lib/contracts';
