/**
 * Kafka topic names: the only place they are spelled out. Subsidiary services
 * publish canonical events to `subsidiary.<sub>.events`; subsidiary systems that
 * speak Kafka write raw requests to `subsidiary.<sub>.inbound`; anything a consumer
 * cannot accept goes, untouched, to `<topic>.dlq` with the DLQ_HEADERS below.
 */
export const SUBSIDIARIES = ['life', 'pnc', 'group'] as const;
export type Subsidiary = (typeof SUBSIDIARIES)[number];

export const DECISIONS_TOPIC = 'coordination.decisions';

export function isSubsidiary(value: unknown): value is Subsidiary {
  return typeof value === 'string' && (SUBSIDIARIES as readonly string[]).includes(value);
}

export function eventsTopic(sub: Subsidiary): `subsidiary.${Subsidiary}.events` {
  return `subsidiary.${sub}.events`;
}

export function inboundTopic(sub: Subsidiary): `subsidiary.${Subsidiary}.inbound` {
  return `subsidiary.${sub}.inbound`;
}

export function dlqTopic<T extends string>(topic: T): `${T}.dlq` {
  return `${topic}.dlq`;
}

/** Every topic the platform uses, DLQs included (for topic provisioning and docs). */
export function allTopics(): string[] {
  const base = [...SUBSIDIARIES.flatMap((s) => [eventsTopic(s), inboundTopic(s)]), DECISIONS_TOPIC];
  return [...base, ...base.map((t) => dlqTopic(t))];
}

/**
 * Headers on a dead-lettered record (the same names @lib/messaging writes). Key and
 * value are the original bytes, so the record can be replayed as is once the cause
 * is fixed; the original headers are kept and these are added. For a contract
 * failure `code` is the ParseFailureCode and `reason` is formatIssues(issues):
 * field paths and messages, never payload values.
 */
export const DLQ_HEADERS = {
  reason: 'x-dlq-reason',
  code: 'x-dlq-code',
  topic: 'x-original-topic',
  partition: 'x-original-partition',
  offset: 'x-original-offset',
  /** Set on a message re-enqueued from the dead-letter store: the dead letter's id. */
  retryOf: 'x-dlq-retry-of',
} as const;
