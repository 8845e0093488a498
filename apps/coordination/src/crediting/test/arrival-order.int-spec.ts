import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { agent, motorPolicy } from './crediting-fixtures';
import { startCreditingApp, type CreditingTestApp } from './crediting-test-app';

type Feed = [type: 'AgentOnboarded' | 'AgentTerminated' | 'PolicyIssued', subsidiary: 'pnc', payload: object];

/**
 * Kafka keeps order per partition only: an agent's termination (keyed by agent) and a policy they
 * service (keyed by policy) may arrive either way round. Both orders must leave the same book.
 */
const onboarding: Feed[] = [
  ['AgentOnboarded', 'pnc', agent('P-3000', 'AGENCY', 'P-B3', 'P-T3', null)],
  ['AgentOnboarded', 'pnc', agent('P-3001', 'AGENCY', 'P-B3', 'P-T3', 'P-3000')],
  ['AgentOnboarded', 'pnc', agent('P-3100', 'AGENCY', 'P-B4', 'P-T4', null)],
  ['AgentOnboarded', 'pnc', agent('P-3101', 'AGENCY', 'P-B4', 'P-T4', 'P-3100')],
];
const termination = (agentId: string): Feed => ['AgentTerminated', 'pnc', { agentId, effectiveDate: '2026-06-30', reason: 'resigned' }];
const issue = (policyNo: string, servicer: string): Feed =>
  ['PolicyIssued', 'pnc', motorPolicy(policyNo, 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
// P-3100 leads P-B4 and leaves too: the orphan rule finds no active leader and PO-2 waits.
const policiesThenTerminations: Feed[] = [issue('PO-1', 'P-3001'), issue('PO-2', 'P-3101'), termination('P-3100'), termination('P-3001'), termination('P-3101')];
const terminationsThenPolicies: Feed[] = [termination('P-3100'), termination('P-3001'), termination('P-3101'), issue('PO-2', 'P-3101'), issue('PO-1', 'P-3001')];

async function outcomeOf(order: Feed[]) {
  const db: TestDatabase = await createTestDatabase('arrival_order');
  const h: CreditingTestApp = await startCreditingApp(db.url);
  try {
    await h.linkParty('pnc', 'PNC-9', randomUUID());
    for (const [type, sub, payload] of [...onboarding, ...order]) await h.feed(type, sub, payload);
    await h.settle();
    const q = (sql: string) => h.dataSource.query(sql);
    return {
      servicing: await q(`SELECT policy_no, servicing_agent_id FROM coordination.policies ORDER BY policy_no`),
      pending: await q(`SELECT policy_no, from_agent_id, reason, since::text FROM coordination.credit_pending_reassignments ORDER BY policy_no`),
      lines: await q(`SELECT policy_no, transaction_kind, kind, side, level, beneficiary_id, standard_premium::text, weighted_credit::text
                        FROM coordination.credit_lines ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`),
      reassigned: await q(`SELECT stream_id, data->>'fromAgentId' AS "from", data->>'toAgentId' AS "to", data->>'effectiveDate' AS "on"
                             FROM event_store.events WHERE type = 'PolicyServicingReassigned' ORDER BY stream_id`),
    };
  } finally {
    await h.close();
    await db.drop();
  }
}

describe('orphan policies whatever the arrival order across partitions', () => {
  it('reassigns or leaves pending the same policies, and credits the same lines, in either order', async () => {
    const before = await outcomeOf(policiesThenTerminations);
    const after = await outcomeOf(terminationsThenPolicies);
    expect(before.servicing).toEqual([{ policy_no: 'PO-1', servicing_agent_id: 'P-3000' }, { policy_no: 'PO-2', servicing_agent_id: 'P-3101' }]);
    expect(before.pending).toEqual([{ policy_no: 'PO-2', from_agent_id: 'P-3101', reason: 'rule team-leader found no active agent', since: '2026-06-30' }]);
    expect(before.reassigned).toEqual([{ stream_id: 'policy-pnc-PO-1', from: 'P-3001', to: 'P-3000', on: '2026-06-30' }]);
    expect(before.lines.length).toBeGreaterThan(0);
    expect(after).toEqual(before);
  });
});
