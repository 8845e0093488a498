import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { agent, motorPolicy, premium } from './crediting-fixtures';
import { startCreditingApp, type CreditingTestApp } from './crediting-test-app';

type Feed = [type: 'AgentOnboarded' | 'AgentTerminated' | 'PolicyIssued' | 'PolicyRenewed', subsidiary: 'pnc', payload: object];

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
// PO-1's renewal (its partition follows the policy) still names the leaver.
const renewal: Feed = ['PolicyRenewed', 'pnc', { policyNo: 'PO-1', newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('4800.00'), servicingAgentId: 'P-3001' }];
const ORDERS: Record<string, Feed[]> = {
  'policies first': [issue('PO-1', 'P-3001'), renewal, issue('PO-2', 'P-3101'), termination('P-3100'), termination('P-3001'), termination('P-3101')],
  'terminations first': [termination('P-3100'), termination('P-3001'), termination('P-3101'), issue('PO-2', 'P-3101'), issue('PO-1', 'P-3001'), renewal],
  interleaved: [issue('PO-1', 'P-3001'), termination('P-3100'), issue('PO-2', 'P-3101'), termination('P-3101'), renewal, termination('P-3001')],
};

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
      // Net per beneficiary: a renewal credited before a late termination is re-credited by adjustment lines.
      credit: await q(`SELECT policy_no, side, level, beneficiary_id, sum(standard_premium)::text AS standard_premium, sum(weighted_credit)::text AS weighted_credit
                         FROM coordination.credit_lines GROUP BY 1, 2, 3, 4 HAVING sum(weighted_credit) <> 0 OR sum(standard_premium) <> 0 ORDER BY 1, 2, 3, 4`),
      reassigned: await q(`SELECT stream_id, data->>'fromAgentId' AS "from", data->>'toAgentId' AS "to", data->>'effectiveDate' AS "on"
                             FROM event_store.events WHERE type = 'PolicyServicingReassigned' ORDER BY stream_id`),
    };
  } finally {
    await h.close();
    await db.drop();
  }
}

describe('orphan policies whatever the arrival order across partitions', () => {
  it('reassigns or leaves pending the same policies, and nets the same credit, in any order', async () => {
    const outcomes: Record<string, Awaited<ReturnType<typeof outcomeOf>>> = {};
    for (const [name, order] of Object.entries(ORDERS)) outcomes[name] = await outcomeOf(order);
    const reference = outcomes['terminations first'];
    expect(reference.servicing).toEqual([{ policy_no: 'PO-1', servicing_agent_id: 'P-3000' }, { policy_no: 'PO-2', servicing_agent_id: 'P-3101' }]);
    expect(reference.pending).toEqual([{ policy_no: 'PO-2', from_agent_id: 'P-3101', reason: 'rule team-leader found no active agent', since: '2026-06-30' }]);
    expect(reference.reassigned).toEqual([{ stream_id: 'policy-pnc-PO-1', from: 'P-3001', to: 'P-3000', on: '2026-06-30' }]);
    // Renewal recursion: the 2027 renewal credits the agent servicing the book then, whatever the arrival order.
    expect(reference.credit.filter((c: { level: string }) => c.level === 'agent').map((c: { beneficiary_id: string }) => c.beneficiary_id)).toEqual(['P-3000', 'P-3001', 'P-3101']);
    for (const [name, outcome] of Object.entries(outcomes)) expect({ order: name, ...outcome }).toEqual({ order: name, ...reference });
  });
});
