import { formatIssues, parseInboundRequest, type InboundParseResult } from '@lib/contracts';
import { PoisonMessageError, type InboundMessage, type MessageHandler } from '@lib/messaging';
import { AppError } from '@lib/platform';
import type { EntityManager } from 'typeorm';
import type { IntakeService } from '../intake/intake.service';

/**
 * Kafka adapter of the intake: a record on `subsidiary.<sub>.inbound` is an
 * InboundRequest (@lib/contracts) and takes exactly the REST path, inside the
 * consumer's transaction (so the offset moves if and only if the request was taken).
 * Anything that can never succeed as sent (bad JSON, invalid request, a 4xx answer)
 * is a poison message: the messaging lib dead-letters it to `<topic>.dlq` with the
 * reason in the headers and the consumer carries on. Other errors are retried.
 */
export function inboundHandler(intake: IntakeService): MessageHandler {
  return async (message: InboundMessage, manager: EntityManager) => {
    const raw: unknown = JSON.parse(message.value);
    const parsed: InboundParseResult = parseInboundRequest(raw);
    if (!parsed.ok) throw new PoisonMessageError(formatIssues(parsed.issues), parsed.code);
    const { request } = parsed;
    try {
      await intake.submit(
        {
          operation: request.operation,
          target: request.target ?? null,
          // The body as sent, not as parsed: the fingerprint compares what the caller sent.
          body: (raw as { body: unknown }).body,
          idempotencyKey: request.requestId,
          principalId: `kafka:${message.topic}`,
          correlationId: request.correlationId ?? message.headers['x-correlation-id'] ?? `${message.topic}:${message.partition}:${message.offset}`,
        },
        manager,
      );
    } catch (error) {
      if (error instanceof AppError && error.status < 500) throw new PoisonMessageError(reasonOf(error), error.code);
      throw error;
    }
  };
}

function reasonOf(error: AppError): string {
  const fields = error.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return fields ? `${error.message} (${fields})` : error.message;
}
