/**
 * collectSummary: what the system made of the simulated year, read through its public
 * query API, next to what the simulator knows it generated. Identity and cross-sale
 * figures come from looking up a seeded sample of the generated clients (all of them
 * when the run is small) and extrapolating; the rest from the coordination service's counts.
 */
import { CONFLICT_KINDS, REFERRAL_STATUSES } from '@lib/contracts';
import Decimal from 'decimal.js';
import type { CatchUpResult } from './catch-up';
import type { Credentials, Endpoints, RunResult } from './client';
import { Random } from './random';
import { CoordinationReader, mapPool, type ReaderOptions } from './reader';
import type { EntityTruth, GroundTruth, Plan } from './types';

export interface IdentityStats {
  sampled: number;
  ofEntities: number;
  sampledRecords: number;
  unresolvedRecords: number;
  observedParties: number;
  extrapolatedParties: number;
  /** Entities whose records ended up in more than one party (missed matches). */
  splitEntities: number;
  /** Parties holding records of more than one generated entity (false matches). */
  sharedParties: number;
  multiRecordEntities: number;
  multiRecordResolved: number;
  sampleHolders: number;
  sampleCrossSale: number;
  observedHolders: number;
  observedCrossSale: number;
  /** One party of the sample holding policies of two or more subsidiaries, as its 360° view shows them. */
  crossSoldExample?: CrossSoldExample;
}

export interface CrossSoldExample {
  partyId: string;
  holdings: Array<{ subsidiary: string; policyNo: string; productLine?: string; status?: string }>;
}

export interface SubsidiaryCredits {
  subsidiary: string;
  salesStandardPremium: string;
  productStandardPremium: string;
  crossSaleCount: number;
  crossSaleStandardPremium: string;
  weightedKpiScore: string;
}

export interface AgentScore {
  agentId: string;
  subsidiary: string | null;
  weightedKpiScore: string;
  standardPremium: string;
  crossSaleCount: number;
}

export interface Summary {
  truth: GroundTruth;
  identity: IdentityStats;
  referrals: Record<string, number | null>;
  conflicts: { byStatus: Record<string, number | null>; byKind: Record<string, number | null> };
  credits: SubsidiaryCredits[] | null;
  topAgents: AgentScore[] | null;
  catchUp?: CatchUpResult;
  run?: RunResult;
}

export interface SummaryOptions extends ReaderOptions {
  sampleSize?: number;
  concurrency?: number;
  catchUp?: CatchUpResult;
  run?: RunResult;
}

type Holding = { role?: string; subsidiary?: string; policyNo?: string; productLine?: string; status?: string };
type View = { partyId?: string; status?: string; mergedInto?: string | null; holdings?: Array<Holding> };

export async function collectSummary(plan: Plan, endpoints: Endpoints, credentials: Credentials, options: SummaryOptions = {}): Promise<Summary> {
  const key = credentials.coordinator ?? credentials.admin ?? credentials.auditor;
  if (!key) throw new Error('collectSummary needs the coordinator (or admin/auditor) API key');
  const reader = new CoordinationReader(endpoints.coordination, key, options);
  const [identity, referrals, conflicts, credits, topAgents] = await Promise.all([
    identityStats(plan, reader, options.sampleSize ?? 2000, options.concurrency ?? 8),
    totals(reader, REFERRAL_STATUSES, (s) => `/v1/referrals?status=${s}`),
    conflictTotals(reader),
    subsidiaryCredits(reader),
    topAgentScores(reader, 10),
  ]);
  return { truth: plan.truth, identity, referrals, conflicts, credits, topAgents, catchUp: options.catchUp, run: options.run };
}

export function sampleEntities(plan: Plan, size: number): EntityTruth[] {
  if (size >= plan.entities.length) return plan.entities;
  return new Random((plan.options.seed ^ 0x5eed5eed) >>> 0).sample(plan.entities, size);
}

async function identityStats(plan: Plan, reader: CoordinationReader, size: number, concurrency: number): Promise<IdentityStats> {
  const sample = sampleEntities(plan, size);
  const records = sample.flatMap((e) => e.records.map((r) => ({ entity: e.id, ...r })));
  const views = await mapPool(records, concurrency, async (r) => {
    const { status, body } = await reader.get(`/v1/clients?subsidiary=${r.subsidiary}&localId=${encodeURIComponent(r.localId)}`);
    return status === 200 ? (body as View) : null;
  });
  const canonical = await canonicalViews(reader, views, concurrency);
  const partiesOf = new Map<number, Set<string>>();
  const entitiesOf = new Map<string, Set<number>>();
  records.forEach((r, i) => {
    const partyId = views[i] ? canonicalId(views[i]!) : null;
    if (!partyId) return;
    partiesOf.set(r.entity, (partiesOf.get(r.entity) ?? new Set()).add(partyId));
    entitiesOf.set(partyId, (entitiesOf.get(partyId) ?? new Set()).add(r.entity));
  });
  const holderSubs = [...entitiesOf.keys()].map((id) => new Set((canonical.get(id)?.holdings ?? []).filter((h) => h.role === 'holder').map((h) => h.subsidiary)));
  const crossSoldId = [...entitiesOf.keys()].find((_id, k) => holderSubs[k].size > 1);
  const multi = sample.filter((e) => e.records.length > 1);
  const ratio = sample.length === 0 ? 0 : entitiesOf.size / sample.length;
  return {
    sampled: sample.length, ofEntities: plan.entities.length, sampledRecords: records.length,
    unresolvedRecords: views.filter((v) => v === null).length, observedParties: entitiesOf.size,
    extrapolatedParties: Math.round(ratio * plan.entities.length),
    splitEntities: [...partiesOf.values()].filter((s) => s.size > 1).length,
    sharedParties: [...entitiesOf.values()].filter((s) => s.size > 1).length,
    multiRecordEntities: multi.length,
    multiRecordResolved: multi.filter((e) => partiesOf.get(e.id)?.size === 1 && entitiesOf.get([...partiesOf.get(e.id)!][0])?.size === 1).length,
    sampleHolders: sample.filter((e) => e.holderSubsidiaries.length > 0).length,
    sampleCrossSale: sample.filter((e) => e.holderSubsidiaries.length > 1).length,
    observedHolders: holderSubs.filter((s) => s.size > 0).length,
    observedCrossSale: holderSubs.filter((s) => s.size > 1).length,
    ...(crossSoldId ? { crossSoldExample: crossSoldExample(crossSoldId, canonical.get(crossSoldId)!) } : {}),
  };
}

function crossSoldExample(partyId: string, view: View): CrossSoldExample {
  const holdings = (view.holdings ?? []).filter((h) => h.role === 'holder' && h.subsidiary && h.policyNo);
  return { partyId, holdings: holdings.map((h) => ({ subsidiary: h.subsidiary!, policyNo: h.policyNo!, productLine: h.productLine, status: h.status })) };
}

function canonicalId(view: View): string | null {
  return (view.status === 'merged' && view.mergedInto) || view.partyId || null;
}

/** The view of each surviving party: the looked-up view, or for a merged party the one it was merged into. */
async function canonicalViews(reader: CoordinationReader, views: Array<View | null>, concurrency: number): Promise<Map<string, View>> {
  const out = new Map<string, View>();
  for (const v of views) if (v && v.partyId && canonicalId(v) === v.partyId) out.set(v.partyId, v);
  const missing = [...new Set(views.map((v) => (v ? canonicalId(v) : null)).filter((id): id is string => id !== null && !out.has(id)))];
  const fetched = await mapPool(missing, concurrency, async (id) => (await reader.get(`/v1/clients/${id}`)).body as View);
  missing.forEach((id, i) => out.set(id, fetched[i]));
  return out;
}

async function totals(reader: CoordinationReader, values: readonly string[], path: (v: string) => string): Promise<Record<string, number | null>> {
  const counts = await Promise.all(values.map((v) => reader.total(path(v))));
  return Object.fromEntries(values.map((v, i) => [v, counts[i]]));
}

async function conflictTotals(reader: CoordinationReader): Promise<Summary['conflicts']> {
  const [byStatus, byKind] = await Promise.all([
    totals(reader, ['detected', 'queued', 'auto-resolved', 'resolved'], (s) => `/v1/admin/conflicts?status=${s}`),
    totals(reader, CONFLICT_KINDS, (k) => `/v1/admin/conflicts?kind=${k}`),
  ]);
  return { byStatus, byKind };
}

type ScoreRow = Record<string, unknown> & { beneficiaryId: string };

async function scorecardRows(reader: CoordinationReader, level: 'agent' | 'subsidiary'): Promise<ScoreRow[] | null> {
  const { status, body } = await reader.get(`/v1/kpi/scorecards?level=${level}&period=year&limit=10000`);
  const items = status === 200 && body && typeof body === 'object' ? (body as { items?: unknown }).items : undefined;
  return Array.isArray(items) ? (items as ScoreRow[]) : null;
}

interface Totals {
  subsidiary: string | null;
  sales: Decimal;
  product: Decimal;
  cross: number;
  crossStd: Decimal;
  weighted: Decimal;
}

const dec = (v: unknown) => new Decimal(typeof v === 'string' && v !== '' ? v : '0');

/** Sums a beneficiary's rows over periods (the simulated year spans two calendar years). */
function byBeneficiary(rows: ScoreRow[]): Map<string, Totals> {
  const out = new Map<string, Totals>();
  for (const r of rows) {
    const a = out.get(r.beneficiaryId) ?? { subsidiary: (r.subsidiary as string) ?? null, sales: dec(0), product: dec(0), cross: 0, crossStd: dec(0), weighted: dec(0) };
    out.set(r.beneficiaryId, {
      subsidiary: a.subsidiary, sales: a.sales.plus(dec(r.standardPremium)), product: a.product.plus(dec(r.productStandardPremium)),
      cross: a.cross + Number(r.crossSaleCount ?? 0), crossStd: a.crossStd.plus(dec(r.crossSaleStandardPremium)), weighted: a.weighted.plus(dec(r.weightedKpiScore)),
    });
  }
  return out;
}

async function subsidiaryCredits(reader: CoordinationReader): Promise<SubsidiaryCredits[] | null> {
  const rows = await scorecardRows(reader, 'subsidiary');
  if (!rows) return null;
  return [...byBeneficiary(rows)].sort(([a], [b]) => a.localeCompare(b)).map(([subsidiary, a]) => ({
    subsidiary, salesStandardPremium: a.sales.toFixed(2), productStandardPremium: a.product.toFixed(2),
    crossSaleCount: a.cross, crossSaleStandardPremium: a.crossStd.toFixed(2), weightedKpiScore: a.weighted.toFixed(2),
  }));
}

async function topAgentScores(reader: CoordinationReader, top: number): Promise<AgentScore[] | null> {
  const rows = await scorecardRows(reader, 'agent');
  if (!rows) return null;
  return [...byBeneficiary(rows)]
    .sort(([, a], [, b]) => b.weighted.comparedTo(a.weighted))
    .slice(0, top)
    .map(([agentId, a]) => ({ agentId, subsidiary: a.subsidiary, weightedKpiScore: a.weighted.toFixed(2), standardPremium: a.sales.toFixed(2), crossSaleCount: a.cross }));
}
