/**
 * Benchmark (not a test): full recomputation of the credit ledger from history, as after a
 * retroactive rule set or a projection rebuild, for 1,000,000 generated policy transactions
 * (issues, renewals, endorsements, cancellations) plus orphan reassignments, under a two-segment
 * rule timeline and an agent hierarchy with mid-period transfers. Policies are replayed one at a
 * time, so memory stays flat. Target: under 2 minutes.
 *
 *   swc bench/coordination apps/coordination/src/crediting/domain -d dist --config-file .swcrc -q \
 *     && node dist/bench/coordination/recompute.js [transactions]
 */
import {
  AgentFact, CreditRuleSet, PRODUCT_LINES, PolicyHistoryItem, PolicyStream, PolicyTransaction, Subsidiary, buildHierarchy, defaultRuleSet,
  publishOnto, recompute, timelineOf,
} from '../../apps/coordination/src/crediting/domain';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const TARGET_SECONDS = 120;
const AGENTS = 5_000;
const SUBS: Subsidiary[] = ['life', 'pnc', 'group'];
const MODES = ['ANNUAL', 'MONTHLY', 'QUARTERLY', 'SINGLE'] as const;

/** Seeded (mulberry32) so every run measures the same history. */
let seed = 42;
const rand = (n: number): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) % n);
};

function agentFacts(): AgentFact[] {
  const facts: AgentFact[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const subsidiary = SUBS[i % 3];
    const channel = subsidiary === 'group' ? 'GROUP_ACCOUNT' : 'AGENCY';
    facts.push({ type: 'AgentOnboarded', agentId: `A-${i}`, subsidiary, channel, teamId: `T-${i % 500}`, branchId: `B-${i % 50}`, leaderId: `A-${i - (i % 10)}`, effectiveDate: '2024-01-01' });
    if (i % 7 === 0) facts.push({ type: 'AgentTransferred', agentId: `A-${i}`, teamId: `T-${(i + 1) % 500}`, branchId: `B-${(i + 1) % 50}`, leaderId: null, effectiveDate: '2025-07-01' });
  }
  return facts;
}

function issue(p: number): PolicyTransaction {
  const agent = rand(AGENTS);
  const productSubsidiary = SUBS[rand(3)];
  const lines = PRODUCT_LINES[productSubsidiary];
  return {
    kind: 'Issued', transactionId: `tx-${p}-0`, policyNo: `P-${p}`, productSubsidiary, productLine: lines[rand(lines.length)],
    premium: { amount: `${1000 + rand(90_000)}.${10 + rand(90)}`, mode: MODES[rand(4)] }, effectiveDate: '2025-03-01', expiryDate: '2035-03-01',
    sellingAgentId: `A-${agent}`, servicingAgentId: `A-${agent}`, channel: agent % 3 === 2 ? 'GROUP_ACCOUNT' : 'AGENCY',
    sellingSubsidiary: SUBS[agent % 3], referralId: rand(2) ? `R-${p}` : null, productSpecialistId: rand(3) ? null : `A-${rand(AGENTS)}`, partyId: `C-${p}`,
  };
}

/** One policy's history: an issue, then up to three renewals/endorsements/cancellations; some are orphaned before renewing. */
function historyOf(p: number, budget: number): PolicyHistoryItem[] {
  const base = issue(p);
  const items: PolicyHistoryItem[] = [{ kind: 'transaction', transaction: base }];
  if (rand(20) === 0) items.push({ kind: 'reassignment', fromAgentId: base.servicingAgentId, toAgentId: `A-${rand(AGENTS)}`, effectiveDate: '2025-12-01' });
  const more = rand(4);
  for (let k = 1; k <= more && items.filter((i) => i.kind === 'transaction').length < budget; k++) {
    const kind = k >= 2 && rand(4) === 0 ? 'Cancelled' : rand(3) === 0 ? 'Endorsed' : 'Renewed';
    const date = kind === 'Renewed' ? `${2025 + k}-03-01` : `${2025 + k - 1}-09-15`;
    items.push({ kind: 'transaction', transaction: { ...base, kind, transactionId: `tx-${p}-${k}`, effectiveDate: date, premiumDelta: '120.50' } });
    if (kind === 'Cancelled') break;
  }
  return items;
}

function* streams(total: number): Generator<PolicyStream> {
  let produced = 0;
  for (let p = 0; produced < total; p++) {
    const items = historyOf(p, total - produced);
    produced += items.filter((i) => i.kind === 'transaction').length;
    yield { policyNo: `P-${p}`, items };
  }
}

/** v1 from 2024, then a retroactive v2 from mid-2025 that doubles the agency cross-sale weight. */
function timeline() {
  const v1: CreditRuleSet = defaultRuleSet({ effectiveFrom: '2024-01-01' });
  const v2 = defaultRuleSet({
    version: 'v2', effectiveFrom: '2025-07-01',
    crossSaleWeights: v1.crossSaleWeights.map((w) => (w.sellingChannel === 'AGENCY' ? { ...w, weight: '0.20' } : w)),
  });
  return publishOnto(timelineOf(v1), v2);
}

function main(): void {
  const ctx = { timeline: timeline(), hierarchy: buildHierarchy(agentFacts()) };
  const started = process.hrtime.bigint();
  const result = recompute(streams(TOTAL), ctx);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`recomputed ${TOTAL} policy transactions (${result.policies} policies, ${result.items} history items incl. reassignments, ${result.totals.lines} credit lines)`);
  console.log(`total ${seconds.toFixed(1)} s, ${Math.round(TOTAL / seconds)} transactions/s (target < ${TARGET_SECONDS} s: ${seconds < TARGET_SECONDS ? 'met' : 'MISSED'})`);
  console.log(`totals: standard premium ${result.totals.standardPremium.toFixed(2)}, weighted credit ${result.totals.weightedCredit.toFixed(2)}; heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`);
  if (seconds >= TARGET_SECONDS) process.exitCode = 1;
}

main();
