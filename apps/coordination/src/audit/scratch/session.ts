import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { replaySlots } from './replay-slots';

const logger = new Logger('ScratchSession');

export type Isolation = 'READ COMMITTED' | 'REPEATABLE READ';

/**
 * One dedicated connection for a replay. Temporary tables belong to a session, and a
 * replay commits page by page (so it never holds a transaction id, which would hold back
 * every subscriber of the event store's commit horizon), so it needs the same connection
 * throughout. The connection goes back to the pool without any temporary table.
 */
export function withSession<T>(dataSource: DataSource, work: (session: QueryRunner) => Promise<T>): Promise<T> {
  return replaySlots.run(() => onSession(dataSource, work));
}

async function onSession<T>(dataSource: DataSource, work: (session: QueryRunner) => Promise<T>): Promise<T> {
  const session = dataSource.createQueryRunner();
  await session.connect();
  try {
    return await work(session);
  } finally {
    if (session.isTransactionActive) await session.rollbackTransaction().catch(() => undefined);
    await session.query('DISCARD TEMP').catch((err: unknown) => logger.warn({ err }, 'could not discard temporary tables'));
    await session.release();
  }
}

/** A transaction on the session; rolled back when `work` throws. */
export async function inSessionTransaction<T>(
  session: QueryRunner,
  work: (manager: EntityManager) => Promise<T>,
  isolation?: Isolation,
): Promise<T> {
  await session.startTransaction(isolation);
  try {
    const result = await work(session.manager);
    await session.commitTransaction();
    return result;
  } catch (error) {
    await session.rollbackTransaction().catch(() => undefined);
    throw error;
  }
}
