/**
 * The end-of-run report: what the simulator generated (expected) next to what the
 * coordination service shows (observed), as plain fixed-width tables.
 */
import type { RunResult } from './client';
import type { Summary } from './summary';

const n = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toLocaleString('en-US'));
const pct = (num: number, den: number) => (den === 0 ? 'n/a' : `${((100 * num) / den).toFixed(1)}%`);

export function table(rows: string[][], indent = '  '): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const numeric = (s: string) => /^[-\d,.%]+$|^n\/a$/.test(s);
  return rows
    .map((r) => indent + r.map((cell, c) => (c > 0 && numeric(cell) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

function runLine(run: RunResult): string {
  const seconds = Math.max(1, run.elapsedMs / 1000);
  return `Run: ${n(run.total)} requests in ${seconds.toFixed(0)} s (${(run.total / seconds).toFixed(0)} req/s): ${n(run.succeeded)} accepted `
    + `(${n(run.replayed)} replayed), ${n(run.retries)} retries, ${n(run.problems)} rejected (4xx), ${n(run.failures)} failed after retries`;
}

function identitySection(s: Summary): string {
  const { truth: t, identity: i } = s;
  const how = i.sampled === i.ofEntities ? 'every generated client looked up' : `sample of ${n(i.sampled)} of ${n(i.ofEntities)} clients, extrapolated`;
  const multi = t.personsBySubsidiaryCount[1] + t.personsBySubsidiaryCount[2];
  return [
    `Identity resolution (${how}; ${n(i.sampledRecords)} subsidiary records looked up)`,
    table([
      ['', 'expected', 'observed', ''],
      ['parties (distinct clients)', n(t.expectedPartyCount), n(i.extrapolatedParties), i.sampled === i.ofEntities ? '' : `${n(i.observedParties)} parties for ${n(i.sampled)} sampled clients`],
      ['persons known to 2-3 subsidiaries', n(multi), pct(i.multiRecordResolved, i.multiRecordEntities), `of ${n(i.multiRecordEntities)} sampled multi-record clients resolved to one party`],
      ['clients split over parties', '0', n(i.splitEntities), 'in the sample (missed matches)'],
      ['parties mixing clients', '0', n(i.sharedParties), 'in the sample (false matches)'],
      ['records not found', '0', n(i.unresolvedRecords), 'in the sample'],
      ['records without identity number', n(t.records.withoutIdentity), '', 'name and phone only: matched by probability'],
      ['names with typo / traditional script', `${n(t.records.typoNames)} / ${n(t.records.traditionalNames)}`, '', ''],
    ]),
  ].join('\n');
}

function crossSaleSection(s: Summary): string {
  const { truth: t, identity: i } = s;
  return [
    'Cross-sale (clients holding policies of more than one subsidiary, among policyholders)',
    table([
      ['', 'expected', 'observed', ''],
      ['all generated clients', pct(t.expectedCrossSaleClients, t.holders), '', `${n(t.expectedCrossSaleClients)} of ${n(t.holders)} policyholders`],
      ['sampled clients / their parties', pct(i.sampleCrossSale, i.sampleHolders), pct(i.observedCrossSale, i.observedHolders), `observed: ${n(i.observedCrossSale)} of ${n(i.observedHolders)} parties holding policies`],
    ]),
    ...(i.crossSoldExample ? [crossSoldLine(i.crossSoldExample)] : []),
  ].join('\n');
}

function crossSoldLine(example: NonNullable<Summary['identity']['crossSoldExample']>): string {
  const subs = [...new Set(example.holdings.map((h) => h.subsidiary))].join(' + ');
  const policies = example.holdings.map((h) => `${h.subsidiary} ${h.policyNo}${h.productLine ? ` (${h.productLine}${h.status ? `, ${h.status}` : ''})` : ''}`).join('; ');
  return `  e.g. GET /v1/clients/${example.partyId} (holds ${subs}): ${policies}`;
}

function referralSection(s: Summary): string {
  const t = s.truth.referrals;
  const r = s.referrals;
  const open = (r.registered ?? 0) + (r.accepted ?? 0) + (r.quoted ?? 0);
  return [
    `Referrals (${Object.entries(t.bySide).map(([side, count]) => `${side} ${n(count)}`).join(', ')})`,
    table([
      ['', 'expected', 'observed'],
      ['registered (all statuses)', n(t.registered), n(Object.values(r).reduce<number>((a, b) => a + (b ?? 0), 0))],
      ['converted', n(t.converted), n(r.converted)],
      ['lost', n(t.lost), n(r.lost)],
      ['still open / expired', '0', `${n(open)} / ${n(r.expired)}`],
    ]),
  ].join('\n');
}

function conflictSection(s: Summary): string {
  const c = s.truth.conflicts;
  const { byKind, byStatus } = s.conflicts;
  const expected: Record<string, number> = {
    'duplicate-registration': c.duplicateRegistration, 'policy-vs-registration': c.policyVsRegistration, 'channel-quote-clash': c.channelQuoteClash,
  };
  return [
    'Conflicts',
    table([
      ['', 'expected', 'observed'],
      ...Object.keys(byKind).map((kind) => [kind, n(expected[kind] ?? 0), n(byKind[kind])]),
      ['auto-resolved', n(c.expectedAutoResolved), n(byStatus['auto-resolved'])],
      ['queued for the coordination team', n(c.expectedQueued), n(byStatus.queued)],
      ['detected, not yet triaged', '0', n(byStatus.detected)],
      ['resolved by a coordinator', '0', n(byStatus.resolved)],
    ]),
  ].join('\n');
}

function creditSection(s: Summary): string {
  if (!s.credits) return 'Credits per subsidiary: n/a (GET /v1/kpi/scorecards did not answer)';
  const converted = s.truth.referrals.convertedBySide;
  const expectedCross = (sub: string) => Object.entries(converted).filter(([side]) => side.startsWith(`${sub}->`)).reduce((a, [, v]) => a + v, 0);
  return [
    'Credits per subsidiary (standard premium, CNY; cross-sales expected = converted referrals it made)',
    table([
      ['subsidiary', 'sales side', 'product side', 'cross-sales exp.', 'cross-sales obs.', 'cross-sale std. premium', 'weighted KPI'],
      ...s.credits.map((c) => [c.subsidiary, c.salesStandardPremium, c.productStandardPremium, n(expectedCross(c.subsidiary)), n(c.crossSaleCount), c.crossSaleStandardPremium, c.weightedKpiScore]),
    ]),
  ].join('\n');
}

function agentSection(s: Summary): string {
  if (!s.topAgents) return 'Top agents: n/a (GET /v1/kpi/scorecards?level=agent did not answer)';
  return [
    'Top agents by weighted KPI',
    table([['agent', 'subsidiary', 'weighted KPI', 'standard premium', 'cross-sales'], ...s.topAgents.map((a) => [a.agentId, a.subsidiary ?? '', a.weightedKpiScore, a.standardPremium, n(a.crossSaleCount)])]),
  ].join('\n');
}

function bookSection(s: Summary): string {
  const p = s.truth.policies;
  const a = s.truth.agents;
  return [
    'Generated book (expected only)',
    `  policies issued ${n(p.issued)} (${n(p.issuedBeforePeriod)} before the period), renewals ${n(p.renewals)}, endorsements ${n(p.endorsements)}, `
      + `cancellations ${n(p.cancellations)} (${n(p.freeLookCancellations)} in the free-look window), lapses ${n(p.lapses)} (${n(p.reinstatements)} reinstated)`,
    `  claims reported ${n(p.claimsReported)}, settled ${n(p.claimsSettled)}; consents ${n(s.truth.consents)}, relationships ${n(s.truth.relationships)}, activities ${n(s.truth.activities)}`,
    `  agents ${n(a.total)} (${n(a.leaders)} team leaders, ${n(a.hiredInPeriod)} hired, ${n(a.transferred)} transferred, ${n(a.terminated)} left: ${n(s.truth.orphanPolicies)} orphan policies to reassign)`,
  ].join('\n');
}

function catchUpLine(c: NonNullable<Summary['catchUp']>): string {
  const waited = `${(c.waitedMs / 1000).toFixed(0)} s`;
  if (c.caughtUp) return `Coordination service caught up (waited ${waited})`;
  const pending = c.pending.length > 0 ? `; not yet visible: ${c.pending.join(', ')}` : '';
  return `Coordination service did NOT catch up within the deadline (${waited})${pending}: observed figures are partial`;
}

export function formatSummary(s: Summary): string {
  const t = s.truth;
  const head = [`Simulated period ${t.start}..${t.end} (${t.months} months): ${n(t.persons)} persons, ${n(t.organizations)} companies, ${n(t.records.total)} subsidiary records`];
  if (s.run) head.push(runLine(s.run));
  if (s.catchUp) head.push(catchUpLine(s.catchUp));
  return [head.join('\n'), identitySection(s), crossSaleSection(s), referralSection(s), conflictSection(s), creditSection(s), agentSection(s), bookSection(s)].join('\n\n');
}

export function formatProblems(run: RunResult): string {
  if (run.samples.length === 0) return '';
  const lines = run.samples.map((p) => `  ${p.status ?? 'network'} ${p.kind} ${p.method} ${p.path}\n    ${JSON.stringify(p.body)}`);
  return `First ${run.samples.length} rejected or failed requests (a 4xx is a simulator bug):\n${lines.join('\n')}`;
}
