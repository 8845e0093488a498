/*
 * A life service on its own database (embedded mode: no broker, the outbox is the
 * observable output), the entities the fuzzed requests refer to, one valid request per
 * intake operation, and a fingerprint of everything the service stores.
 */
import { generateResidentId, INBOUND_OPERATION_NAMES, residentIdBirthDate, seededRng, type InboundOperation } from '@lib/contracts';
import { ApiKeyStore } from '@lib/platform';
import { createSubsidiaryApp, gatewaySchema } from '@lib/subsidiary-gateway';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../infra/postgres';

export interface FuzzTarget {
  app: NestFastifyApplication;
  url: string;
  key: string;
  db: TestDatabase;
  dataSource: DataSource;
  close(): Promise<void>;
}

export interface Req {
  method: 'POST' | 'PUT';
  path: string;
  body: unknown;
}

const SCHEMA = gatewaySchema('life');
const TABLES = ['outbox', 'idempotency_keys', 'clients', 'agents', 'policies', 'claims', 'referrals', 'activities', 'dead_letters'];

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const db = await createTestDatabase('fuzz_rest');
  const env = { NODE_ENV: 'test', DATABASE_URL: db.url, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '10000000', DATABASE_POOL_SIZE: '4' };
  const { app } = await createSubsidiaryApp('life', { env, cataloguePath: join(__dirname, '..', '..', 'apps', 'life', 'catalogue.json'), logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const dataSource = app.get(DataSource);
  const key = (await new ApiKeyStore(dataSource).create({ name: 'fuzz', role: 'subsidiary:life', subsidiary: 'life', createdBy: 'fuzz' })).key;
  return { app, url, key, db, dataSource, close: async () => (await app.close(), await db.drop()) };
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  json: any;
}

/** Sends raw bytes, so tests control the body and content type exactly. */
export async function sendRaw(t: FuzzTarget, method: string, path: string, body: string | undefined, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { 'X-Api-Key': t.key, 'Idempotency-Key': randomUUID(), 'Content-Type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

export const send = (t: FuzzTarget, r: Req) => sendRaw(t, r.method, r.path, JSON.stringify(r.body));

/** Row counts and an md5 over the rows of every table the service writes: any write changes it. */
export async function fingerprint(t: FuzzTarget): Promise<Record<string, string>> {
  const parts = TABLES.map((table) => `SELECT '${table}' AS t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS f FROM "${SCHEMA}".${table} x`);
  const rows: Array<{ t: string; f: string }> = await t.dataSource.query(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.t, r.f]));
}

export async function outboxCount(t: FuzzTarget): Promise<number> {
  return Number((await t.dataSource.query(`SELECT count(*) AS n FROM "${SCHEMA}".outbox`))[0].n);
}

export async function lastOutboxPayload(t: FuzzTarget): Promise<Record<string, unknown>> {
  const [row] = await t.dataSource.query(`SELECT value FROM "${SCHEMA}".outbox ORDER BY id DESC LIMIT 1`);
  return JSON.parse(row.value).payload;
}

const rng = seededRng(424242);
export function residentId(birthDate = '1990-05-17'): string {
  return generateResidentId(rng, { birthDate, gender: 'F' });
}

const C1_NUMBER = residentId('1985-02-03');
const premium = { amount: '12000.00', currency: 'CNY', mode: 'ANNUAL' };
const person = (localId: string, number = residentId()) => ({
  localId, kind: 'person', name: '王芳', gender: 'F', birthDate: residentIdBirthDate(number), identity: { type: 'RESIDENT_ID', number },
  phones: ['13800138000'], emails: ['wang.fang@example.cn'], address: '上海市浦东新区世纪大道100号',
});
const agent = (agentId: string) => ({ agentId, name: '李娜', localChannelCode: 'GX01', branchId: 'BJ-01', teamId: 'BJ-01-T3', leaderId: null, joinedAt: '2026-01-05' });
const policy = (policyNo: string) => ({
  policyNo, productCode: 'WL20', holderLocalId: 'FZ-C1', insuredLocalIds: ['FZ-C1'], beneficiaries: [{ localId: 'FZ-C2', sharePct: 100 }],
  premium, effectiveDate: '2026-03-01', expiryDate: '2046-02-28', sellingAgentId: 'FZ-A1', servicingAgentId: 'FZ-A1', localChannelCode: 'GX01', referralId: null,
});

/** What the fuzzed requests refer to: agents, two clients, policies in each state, a claim. */
/** fast-check settings shared by the fuzz files; reproduce a failure with FUZZ_SEED=<seed> FUZZ_RUNS=<n>. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 20);
export const fuzzParams = (runs: number) => ({ numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? 20261122), endOnFailure: true });

/** A fuzz target with the SEED requests (the clients, agents and policies others refer to) accepted. */
export async function startSeededFuzzTarget(): Promise<FuzzTarget> {
  const t = await startFuzzTarget();
  for (const r of SEED) {
    const answer = await send(t, r);
    if (answer.status !== 202) throw new Error(`seeding ${r.path} answered ${answer.status}: ${answer.text}`);
  }
  return t;
}

export const SEED: Req[] = [
  ...['FZ-A1', 'FZ-A2', 'FZ-A3'].map((id) => ({ method: 'POST' as const, path: '/v1/agents', body: agent(id) })),
  { method: 'POST', path: '/v1/clients', body: person('FZ-C1', C1_NUMBER) },
  { method: 'POST', path: '/v1/clients', body: person('FZ-C2') },
  ...['FZ-P1', 'FZ-P2', 'FZ-P3', 'FZ-P4'].map((no) => ({ method: 'POST' as const, path: '/v1/policies', body: policy(no) })),
  { method: 'POST', path: '/v1/policies/FZ-P4/lapse', body: { effectiveDate: '2026-05-01', reason: 'premium unpaid' } },
  { method: 'POST', path: '/v1/claims', body: { claimNo: 'FZ-CL1', policyNo: 'FZ-P1', reportedAt: '2026-03-05T10:00:00+08:00', amountClaimed: '8600.00', lossDate: '2026-03-01' } },
];

/** One valid request per operation; `u` makes the ids of creations unique so mutations can be accepted too. */
export function validRequest(op: InboundOperation, u: string): Req {
  const at = '2026-03-01T09:30:00+08:00';
  const requests: Record<InboundOperation, Req> = {
    RegisterClient: { method: 'POST', path: '/v1/clients', body: person(`FZ-C-${u}`) },
    UpdateClient: { method: 'PUT', path: '/v1/clients/FZ-C1', body: { ...person('FZ-C1', C1_NUMBER), address: '北京市朝阳区建国路1号' } },
    ChangeConsent: { method: 'POST', path: '/v1/clients/FZ-C1/consents', body: { scope: 'group-sharing', granted: true, at, source: 'app' } },
    DeclareRelationship: { method: 'POST', path: '/v1/relationships', body: { fromLocalId: 'FZ-C2', toLocalId: 'FZ-C1', kind: 'child', since: '2015-06-01' } },
    OnboardAgent: { method: 'POST', path: '/v1/agents', body: agent(`FZ-A-${u}`) },
    TransferAgent: { method: 'POST', path: '/v1/agents/FZ-A2/transfer', body: { toBranchId: 'BJ-02', toTeamId: 'BJ-02-T1', toLeaderId: null, effectiveDate: '2026-07-01' } },
    TerminateAgent: { method: 'POST', path: '/v1/agents/FZ-A3/termination', body: { effectiveDate: '2026-06-30', reason: 'resigned' } },
    RegisterReferral: {
      method: 'POST', path: '/v1/referrals',
      body: { referralId: `FZ-R-${u}`, clientLocalId: 'FZ-C1', productSubsidiary: 'pnc', productLine: 'MOTOR', referringAgentId: 'FZ-A1', note: '客户有车' },
    },
    IssuePolicy: { method: 'POST', path: '/v1/policies', body: policy(`FZ-P-${u}`) },
    RenewPolicy: { method: 'POST', path: '/v1/policies/FZ-P1/renewals', body: { newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium } },
    EndorsePolicy: { method: 'POST', path: '/v1/policies/FZ-P1/endorsements', body: { effectiveDate: '2026-06-01', premiumDelta: '-350.00', reason: 'sum assured reduced' } },
    CancelPolicy: { method: 'POST', path: '/v1/policies/FZ-P2/cancellation', body: { effectiveDate: '2026-03-10', reason: 'cooling-off withdrawal', refund: '12000.00' } },
    LapsePolicy: { method: 'POST', path: '/v1/policies/FZ-P3/lapse', body: { effectiveDate: '2026-05-01', reason: 'premium unpaid' } },
    ReinstatePolicy: { method: 'POST', path: '/v1/policies/FZ-P4/reinstatement', body: { effectiveDate: '2026-06-01' } },
    ReportClaim: {
      method: 'POST', path: '/v1/claims',
      body: { claimNo: `FZ-CL-${u}`, policyNo: 'FZ-P1', reportedAt: '2026-03-05T10:00:00+08:00', amountClaimed: '8600.00', lossDate: '2026-03-01' },
    },
    SettleClaim: { method: 'POST', path: '/v1/claims/FZ-CL1/settlement', body: { policyNo: 'FZ-P1', settledAt: '2026-03-20T15:00:00+08:00', amountPaid: '8100.00' } },
    LogActivity: {
      method: 'POST', path: '/v1/activities',
      body: { activityId: `FZ-ACT-${u}`, agentId: 'FZ-A1', clientLocalId: 'FZ-C1', kind: 'quote', at, productLine: 'MOTOR', quotedPrice: '4200.00', note: '电话报价' },
    },
  };
  return requests[op];
}

/** The rules every answer obeys; `before` is the fingerprint taken just before the request. */
export async function expectClean(t: FuzzTarget, answer: Answer, before: Record<string, string>, label: string): Promise<void> {
  const context = `${label} -> ${answer.status} ${answer.text.slice(0, 300)}`;
  if (answer.status >= 500) throw new Error(`5xx: ${context}`);
  if (answer.status === 202) {
    const after = await fingerprint(t);
    expect({ context, outboxGrewByOne: Number(after.outbox.split(':')[0]) - Number(before.outbox.split(':')[0]) }).toEqual({ context, outboxGrewByOne: 1 });
    return;
  }
  expect({ context, status: answer.status >= 400 && answer.status < 500 }).toEqual({ context, status: true });
  expect({ context, type: answer.contentType }).toEqual({ context, type: expect.stringMatching(/^application\/problem\+json/) });
  expect(answer.json).toMatchObject({ status: answer.status, code: expect.any(String), title: expect.any(String) });
  expect(answer.text).not.toMatch(/\n\s+at /); // no stack trace
  if (answer.json.code === 'VALIDATION_FAILED') {
    expect({ context, fields: answer.json.errors.length > 0 }).toEqual({ context, fields: true });
    for (const e of answer.json.errors) expect({ context, field: typeof e.field === 'string' && e.field.length > 0 }).toEqual({ context, field: true });
  }
  expect({ context, fingerprint: await fingerprint(t) }).toEqual({ context, fingerprint: before });
}

export const OPERATIONS = INBOUND_OPERATION_NAMES;

/** Every path in a JSON value (dotted, array indices as numbers), leaves and inner nodes. */
export function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => pathsOf((value as Record<string, unknown>)[k], [...prefix, k]))];
}

export function setPath(value: unknown, path: string[], to: unknown | typeof REMOVE): unknown {
  if (path.length === 0) return to === REMOVE ? undefined : to;
  const copy = structuredClone(value) as Record<string, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = path[path.length - 1];
  if (to === REMOVE) delete node[last];
  else node[last] = to;
  return copy;
}
export const REMOVE = Symbol('remove');

export function getPath(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined), value);
}

/** String leaves: where free text (and injection attempts) can go. */
export function stringLeaves(value: unknown): string[][] {
  return pathsOf(value).filter((p) => p.length > 0 && typeof getPath(value, p) === 'string');
}
