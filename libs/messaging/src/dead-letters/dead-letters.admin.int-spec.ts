import { DataSource } from 'typeorm';
import { consumerMigrations, DeadLetterError, discardDeadLetter, listDeadLetters, retryDeadLetter } from '@lib/messaging';
import { createTestDatabase, TestDatabase } from '../../../../test/infra/postgres';
import { openDataSource } from '../../test/messaging-fixtures';
import { recordDeadLetter } from './record-dead-letter';

// jest.config.js's per-project testTimeout is not applied by jest-circus (global option only).
jest.setTimeout(60_000);

const SCHEMA = 'coord';
let db: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('messaging_dlq_admin');
  dataSource = await openDataSource(db.url, consumerMigrations(SCHEMA));
  await dataSource.transaction(async (manager) => {
    for (let i = 0; i < 5; i++) {
      const topic = i % 2 ? 'subsidiary.pnc.events' : 'subsidiary.life.events';
      const message = { topic, partition: 0, offset: String(i), key: `k${i}`, value: `{"i":${i}}`, headers: { 'x-trace': `t${i}` }, timestamp: '0' };
      await recordDeadLetter(manager, SCHEMA, { groupId: 'g', message, reason: `bad ${i}`, code: 'BAD', sourceSchema: null }, { publish: false });
    }
  });
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

describe('dead-letter admin helpers', () => {
  it('lists newest first, filtered by topic and status, in keyset pages', async () => {
    const life = await listDeadLetters(dataSource.manager, SCHEMA, { topic: 'subsidiary.life.events' });
    expect(life.map((l) => l.offset)).toEqual(['4', '2', '0']);
    const firstPage = await listDeadLetters(dataSource.manager, SCHEMA, { limit: 2 });
    const secondPage = await listDeadLetters(dataSource.manager, SCHEMA, { limit: 2, beforeId: firstPage[1].id });
    expect([...firstPage, ...secondPage].map((l) => l.offset)).toEqual(['4', '3', '2', '1']);
    expect(firstPage[0]).toMatchObject({ key: 'k4', value: '{"i":4}', headers: { 'x-trace': 't4' }, reason: 'bad 4', status: 'open', resolvedAt: null });
  });

  it('retries into the outbox with the original key, value and headers, once', async () => {
    const [letter] = await listDeadLetters(dataSource.manager, SCHEMA, { topic: 'subsidiary.pnc.events', status: 'open' });
    const retried = await dataSource.transaction((m) => retryDeadLetter(m, SCHEMA, letter.id, 'ops'));
    expect(retried).toMatchObject({ status: 'retried', resolvedBy: 'ops' });
    expect(retried.resolvedAt).toBeInstanceOf(Date);
    const rows = await dataSource.query(`SELECT topic, message_key, value, headers FROM coord.outbox`);
    expect(rows).toEqual([
      { topic: letter.topic, message_key: letter.key, value: letter.value, headers: { 'x-trace': 't3', 'x-dlq-retry-of': letter.id } },
    ]);
    await expect(dataSource.transaction((m) => discardDeadLetter(m, SCHEMA, letter.id, 'ops'))).rejects.toMatchObject({ code: 'DEAD_LETTER_NOT_OPEN' });
    expect((await listDeadLetters(dataSource.manager, SCHEMA, { status: 'retried' })).map((l) => l.id)).toEqual([letter.id]);
  });

  it('rejects unknown ids with a stable code', async () => {
    const attempt = dataSource.transaction((m) => discardDeadLetter(m, SCHEMA, '424242', 'ops'));
    await expect(attempt).rejects.toBeInstanceOf(DeadLetterError);
    await expect(attempt).rejects.toMatchObject({ code: 'DEAD_LETTER_NOT_FOUND' });
  });
});
