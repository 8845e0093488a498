import { discardDeadLetter, getDeadLetter, listDeadLetters, retryDeadLetter, type DeadLetter, type DeadLetterFilter } from '@lib/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { COORDINATION_SCHEMA } from '../infrastructure/tokens';
import { deadLetterNotFound, fromDeadLetterError } from './admin.errors';
import { AdminActionRecorder, inActionTransaction, type Actor, type DeadLetterRef } from './admin-actions';

/** A dead letter without its message: lists stay free of the payloads' personal data. */
export type DeadLetterSummary = Omit<DeadLetter, 'value' | 'headers'>;

const summary = ({ value: _value, headers: _headers, ...rest }: DeadLetter): DeadLetterSummary => rest;
const refOf = (l: DeadLetter): DeadLetterRef => ({ id: l.id, topic: l.topic, partition: l.partition, offset: l.offset });

/**
 * The messages the coordination service's consumers gave up on. Retrying puts the
 * original message back through the outbox it came from; both commands commit with
 * their admin-action event.
 */
@Injectable()
export class DeadLettersAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly actions: AdminActionRecorder,
  ) {}

  async list(filter: DeadLetterFilter): Promise<DeadLetterSummary[]> {
    return (await listDeadLetters(this.dataSource.manager, COORDINATION_SCHEMA, filter)).map(summary);
  }

  async get(id: string): Promise<DeadLetter> {
    const letter = await getDeadLetter(this.dataSource.manager, COORDINATION_SCHEMA, id);
    if (!letter) throw deadLetterNotFound(id);
    return letter;
  }

  retry(id: string, actor: Actor): Promise<DeadLetterSummary> {
    return this.command(async (manager) => {
      const letter = await retryDeadLetter(manager, COORDINATION_SCHEMA, id, actor.id);
      await this.actions.record(manager, actor, { type: 'DeadLetterRetried', data: refOf(letter) });
      return summary(letter);
    });
  }

  discard(id: string, reason: string, actor: Actor): Promise<DeadLetterSummary> {
    return this.command(async (manager) => {
      const letter = await discardDeadLetter(manager, COORDINATION_SCHEMA, id, actor.id);
      await this.actions.record(manager, actor, { type: 'DeadLetterDiscarded', data: { ...refOf(letter), reason } });
      return summary(letter);
    });
  }

  private async command<T>(work: Parameters<typeof inActionTransaction<T>>[1]): Promise<T> {
    try {
      return await inActionTransaction(this.dataSource, work);
    } catch (error) {
      throw fromDeadLetterError(error);
    }
  }
}
