import type { EventType } from '@lib/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { TestDatabase } from '../../../../../test/infra/postgres';
import { agent, company, policy } from '../../conflicts/testing/harness';
import { dispatchReplayed, startWholeApp, subsidiaryEvent } from '../../testing/whole-app-feed';
import { CreditServicingRenewals1767330000400 } from './1767330000400-servicing-history-renewals';

jest.setTimeout(120_000);

/**
 * A deployment whose servicing history was kept before renewals were written to it has no renewal rows:
 * the migration fills them from the stored portfolio events, as the app records them now.
 */
describe('migration 1767330000400: the servicing history gets the renewals that named a new servicing agent', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  type Row = { policy_no: string; effective_date: string; agent_id: string; from_agent_id: string | null; rule: string | null };
  const history = (ds: DataSource): Promise<Row[]> => ds.query(
    `SELECT policy_no, effective_date::text, agent_id, from_agent_id, rule FROM coordination.credit_servicing_history ORDER BY policy_no, effective_date, rule NULLS FIRST`);

  beforeAll(async () => {
    ({ db, app } = await startWholeApp('servicing_renewals'));
    const send = (type: EventType, payload: object, at = '2025-01-02T09:00:00+08:00') => dispatchReplayed(app, subsidiaryEvent(type, 'life', payload, at, 'migration'));
    for (const id of ['A-1001', 'A-1002', 'A-1003']) await send('AgentOnboarded', { ...agent(id, 'AGENCY'), joinedAt: '2025-01-02' });
    await send('ClientRegistered', company('LIFE-ORG-MIG', 900));
    const premium = { amount: '1000.00', currency: 'CNY', mode: 'ANNUAL' };
    const issue = (policyNo: string, servicer: string) =>
      send('PolicyIssued', { ...policy(policyNo, 'LIFE-ORG-MIG', 'LIFE_WHOLE', servicer, servicer, 'AGENCY', null), effectiveDate: '2025-06-01', expiryDate: '2026-05-31' }, '2025-05-28T10:00:00+08:00');
    const renew = (policyNo: string, year: number, servicingAgentId: string) =>
      send('PolicyRenewed', { policyNo, newEffectiveDate: `${year}-06-01`, newExpiryDate: `${year + 1}-05-31`, premium, servicingAgentId }, `${year}-05-20T10:00:00+08:00`);
    // A new servicer, then the same one again; the same servicer; a new one and back.
    await issue('LP-1', 'A-1001');
    await renew('LP-1', 2026, 'A-1002');
    await renew('LP-1', 2027, 'A-1002');
    await issue('LP-2', 'A-1001');
    await renew('LP-2', 2026, 'A-1001');
    await issue('LP-3', 'A-1002');
    await renew('LP-3', 2026, 'A-1003');
    await renew('LP-3', 2027, 'A-1002');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('then the history without its renewal rows gets back the rows the app recorded, once', async () => {
    const ds = app.get(DataSource);
    const recorded = await history(ds);
    expect(recorded).toEqual(expect.arrayContaining([
      { policy_no: 'LP-1', effective_date: '2026-06-01', agent_id: 'A-1002', from_agent_id: 'A-1001', rule: 'renewal' },
      { policy_no: 'LP-3', effective_date: '2026-06-01', agent_id: 'A-1003', from_agent_id: 'A-1002', rule: 'renewal' },
      { policy_no: 'LP-3', effective_date: '2027-06-01', agent_id: 'A-1002', from_agent_id: 'A-1003', rule: 'renewal' },
    ]));
    // The app now also keeps a renewal naming the agent who services the policy (LP-1 in 2027, LP-2): the migration, for renewals
    // recorded before the history kept any, fills the changes of servicer only, as the app recorded them then.
    const sameAgent = (row: Row) => row.rule === 'renewal' && row.agent_id === row.from_agent_id;
    expect(recorded.filter(sameAgent)).toHaveLength(2);
    const changes = recorded.filter((row) => !sameAgent(row));
    expect(changes).toHaveLength(6);
    await ds.query(`DELETE FROM coordination.credit_servicing_history WHERE rule = 'renewal'`);
    for (let run = 0; run < 2; run++) {
      const runner = ds.createQueryRunner();
      try {
        await new CreditServicingRenewals1767330000400().up(runner);
      } finally {
        await runner.release();
      }
      expect(await history(ds)).toEqual(changes);
    }
  });
});
