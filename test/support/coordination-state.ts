/*
 * What the coordination service made of the traffic, read straight from its database, in
 * a form two runs can be compared by: every read-model and look-up table as sorted JSON
 * rows with run-specific values (wall-clock times, log positions, and party ids, which
 * depend on which subsidiary's record happened to create the party) replaced by stable
 * labels, and the event store grouped by the source event that caused each event.
 */
import { createHash } from 'node:crypto';
import { Client } from 'pg';

export async function withPg<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'reliability-test' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Machinery and run bookkeeping, not outcomes: consumer offsets, dead letters, leases,
 * migrations, and the record of who read what (the tests' own audit reads land there).
 */
const NOT_OUTCOMES = /^(processed_events|parked_events|consumer_offsets|dead_letters|outbox|.*migrations|.*lease.*|.*leader.*|scheduler.*|api_keys|.*access_log|credit_recalculation_jobs)$/;
const READ_RECORDS = /^(AuditRead|ClientViewRead)$/;
/** Column names whose values depend on when or in which order things ran, not on what was sent. */
const VOLATILE_KEY = /(^|_)(at|position|updated|recorded|handled|created|sealed|opened|seen)(_|$)|At$|Position$|^asOf$|^seq$/;

export interface TableDigest {
  rows: number;
  hash: string;
  /** Normalised rows, kept to explain a difference. */
  lines: string[];
}

export type StateDigest = Record<string, TableDigest>;

/** Every outcome table of schema `coordination`, normalised and hashed. */
export async function coordinationDigest(url: string): Promise<StateDigest> {
  return withPg(url, async (client) => {
    const labels = await partyLabels(client);
    const { rows: tables } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'coordination' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const digest: StateDigest = {};
    for (const { table_name: table } of tables.filter((t) => !NOT_OUTCOMES.test(t.table_name))) {
      const { rows } = await client.query<{ j: unknown }>(`SELECT row_to_json(t) AS j FROM coordination."${table}" t`);
      const lines = rows.map((r) => JSON.stringify(normalise(r.j, labels))).sort();
      digest[table] = { rows: lines.length, hash: createHash('sha256').update(lines.join('\n')).digest('hex'), lines };
    }
    digest['event_store.events'] = await eventDigest(client, labels);
    return digest;
  });
}

/**
 * A party is named by the smallest `subsidiary:localId` linked to it (after merges), which
 * does not depend on which of its records arrived first.
 */
async function partyLabels(client: Client): Promise<Map<string, string>> {
  const { rows: links } = await client.query<{ subsidiary: string; local_id: string; party_id: string }>('SELECT subsidiary, local_id, party_id FROM coordination.party_links');
  const { rows: redirects } = await client.query<{ from_party_id: string; to_party_id: string }>('SELECT from_party_id, to_party_id FROM coordination.party_redirects');
  const to = new Map(redirects.map((r) => [r.from_party_id, r.to_party_id]));
  const resolve = (id: string) => {
    for (let i = 0; i < 100 && to.has(id); i++) id = to.get(id)!;
    return id;
  };
  const labels = new Map<string, string>();
  for (const { subsidiary, local_id, party_id } of links) {
    const label = `party(${subsidiary}:${local_id})`;
    const survivor = resolve(party_id);
    if (!labels.has(survivor) || label < labels.get(survivor)!) labels.set(survivor, label);
  }
  for (const from of to.keys()) labels.set(from, `merged-into:${labels.get(resolve(from)) ?? 'unknown'}`);
  return labels;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

function normalise(value: unknown, labels: Map<string, string>): unknown {
  if (typeof value === 'string') return value.replace(UUID, (id) => labels.get(id) ?? id);
  if (Array.isArray(value)) return value.map((v) => normalise(v, labels));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (!VOLATILE_KEY.test(key)) out[normalise(key, labels) as string] = normalise((value as Record<string, unknown>)[key], labels);
    }
    return out;
  }
  return value;
}

/**
 * The event store as "source event -> the events it caused": one line per causation id with
 * the sorted (type, stream) pairs. Admin commands and merges are grouped under their own ids.
 */
async function eventDigest(client: Client, labels: Map<string, string>): Promise<TableDigest> {
  const { rows: all } = await client.query<{ cause: string | null; type: string; stream_id: string }>(
    `SELECT metadata->>'causationId' AS cause, type, stream_id FROM event_store.events`,
  );
  const rows = all.filter((r) => !READ_RECORDS.test(r.type));
  const byCause = new Map<string, string[]>();
  for (const r of rows) {
    const cause = normalise(r.cause ?? '(none)', labels) as string;
    byCause.set(cause, [...(byCause.get(cause) ?? []), `${r.type}@${normalise(r.stream_id, labels)}`]);
  }
  const lines = [...byCause.entries()].map(([cause, events]) => `${cause}: ${events.sort().join(' ')}`).sort();
  return { rows: rows.length, hash: createHash('sha256').update(lines.join('\n')).digest('hex'), lines };
}

/** Tables whose digests differ, each with a few rows present on one side only. */
export function digestDifferences(a: StateDigest, b: StateDigest, samples = 3): string[] {
  const out: string[] = [];
  for (const table of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const [x, y] = [a[table], b[table]];
    if (x?.hash === y?.hash) continue;
    const [inA, inB] = [new Set(x?.lines ?? []), new Set(y?.lines ?? [])];
    const onlyA = [...inA].filter((l) => !inB.has(l)).slice(0, samples);
    const onlyB = [...inB].filter((l) => !inA.has(l)).slice(0, samples);
    out.push(`${table}: ${x?.rows ?? 'absent'} vs ${y?.rows ?? 'absent'} rows\n  only in first: ${onlyA.join('\n    ')}\n  only in second: ${onlyB.join('\n    ')}`);
  }
  return out;
}

/**
 * The part of the outcome that must not depend on the order in which Kafka delivers
 * different partitions (verified across replays): agents and their history, policies' status history, terms and endorsements, which records
 * make up which party, identity keys, look-ups, relationships, referral, quote and approach indexes,
 * and which business events each source event caused, and the credit each policy's ledger nets
 * to per beneficiary (creditNet). Left out because they legitimately
 * depend on arrival order: which record created a party (PartyRegistered, "origin") or
 * opened a match review,
 * conflict detection and its ids, credit derived from conflict outcomes, orphan
 * servicing reassignment, and which event of a policy posts which of its credit lines (see RELIABILITY.md,
 * findings): a fact arriving after a later-dated one of its policy is answered with an adjustment
 * (`CreditAdjusted`: a renewal recorded after the cancellation dated after it claws its own credit back,
 * where in business order the cancellation's reversal does), so by cause only the net credit compares.
 */
const ORDER_INDEPENDENT_TABLES = ['agents', 'agent_history', 'policy_status_history', 'policy_terms', 'policy_endorsements', 'party_links', 'identity_keys', 'client_lookup', 'match_candidates', 'client_view_relationships', 'referral_index', 'quote_index', 'approach_index'];
const ORDER_DEPENDENT_EVENTS = /^(PartyRegistered|MatchReview\w+|Conflict\w+|CreditLines\w+|CreditAdjusted|PolicyTransactionNotCredited|ReinstatementKept|TerminationRepeated|PolicyServicingReassigned|ServicingReassigned|ServicingReassignmentPending|ReferralConverted)@/;

export function orderIndependent(d: StateDigest): StateDigest {
  const out: StateDigest = {};
  for (const table of ORDER_INDEPENDENT_TABLES) if (d[table]) out[table] = d[table];
  const lines = d['event_store.events'].lines
    .map((line) => {
      const [cause, events] = [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)];
      return `${cause}: ${events.split(' ').filter((e) => !ORDER_DEPENDENT_EVENTS.test(e)).join(' ')}`;
    })
    .filter((line) => !line.endsWith(': '))
    .sort();
  out['event_store.events (business events by cause)'] = { rows: lines.length, hash: createHash('sha256').update(lines.join('\n')).digest('hex'), lines };
  if (d.credit_lines) out['credit_lines (net per policy and beneficiary)'] = creditNet(d.credit_lines);
  return out;
}

const NET_KEY = ['policy_no', 'product_subsidiary', 'side', 'level', 'beneficiary_id', 'credited_agent_id'] as const;
const NET_AMOUNTS = ['premium', 'standard_premium', 'weighted_credit'] as const;

/**
 * What the credit lines add up to per policy, side, level and beneficiary, in cents, leaving out sums of
 * nothing: the same whichever event posted which line, and whatever the lines' ids.
 */
export function creditNet(table: TableDigest): TableDigest {
  const sums = new Map<string, number[]>();
  for (const line of table.lines) {
    const row = JSON.parse(line) as Record<string, unknown>;
    const key = JSON.stringify(NET_KEY.map((k) => row[k] ?? null));
    const cents = NET_AMOUNTS.map((k) => Math.round(Number(row[k]) * 100));
    const sum = sums.get(key) ?? NET_AMOUNTS.map(() => 0);
    sums.set(key, sum.map((s, i) => s + cents[i]));
  }
  const lines = [...sums.entries()].filter(([, sum]) => sum.some((c) => c !== 0)).map(([key, sum]) => `${key} ${sum.join(' ')}`).sort();
  return { rows: lines.length, hash: createHash('sha256').update(lines.join('\n')).digest('hex'), lines };
}

/** Hashes only, for logs and RELIABILITY.md. */
export function digestSummary(d: StateDigest): Record<string, string> {
  return Object.fromEntries(Object.entries(d).map(([t, v]) => [t, `${v.rows} rows ${v.hash.slice(0, 12)}`]));
}

export interface Progress {
  /** Accepted source events the coordination service has handled. */
  processed: number;
  expected: number;
  parked: number;
  deadLetters: number;
}

export async function progressOf(url: string, eventIds: string[]): Promise<Progress> {
  return withPg(url, async (client) => {
    const [{ n }] = (await client.query<{ n: string }>('SELECT count(*) AS n FROM coordination.processed_events WHERE event_id = ANY($1::uuid[])', [eventIds])).rows;
    const [{ parked }] = (await client.query<{ parked: string }>('SELECT count(*) AS parked FROM coordination.parked_events')).rows;
    const [{ dead }] = (await client.query<{ dead: string }>('SELECT count(*) AS dead FROM coordination.dead_letters')).rows;
    return { processed: Number(n), expected: eventIds.length, parked: Number(parked), deadLetters: Number(dead) };
  });
}

/**
 * Waits until every accepted event is handled, then until the outcome tables stop changing
 * (projections are asynchronous and back off up to 5 s after a failed batch): the identity
 * projection must cover every party link, and the digest must stay the same for `stableMs`.
 */
export async function settledDigest(url: string, eventIds: string[], { timeoutMs = 180_000, stableMs = 8_000 } = {}): Promise<StateDigest> {
  const deadline = Date.now() + timeoutMs;
  const overdue = (what: string) => {
    if (Date.now() > deadline) throw new Error(`coordination did not settle in ${timeoutMs / 1000} s: ${what}`);
  };
  for (let progress = await progressOf(url, eventIds); progress.processed < progress.expected; progress = await progressOf(url, eventIds)) {
    overdue(JSON.stringify(progress));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  let previous = await coordinationDigest(url);
  let stableSince = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const current = await coordinationDigest(url);
    const changed = digestDifferences(previous, current).length > 0 || !identityCaughtUp(current);
    if (changed) stableSince = Date.now();
    else if (Date.now() - stableSince >= stableMs) return current;
    overdue(changed ? digestDifferences(previous, current).join('\n').slice(0, 2000) || 'identity projection behind' : 'still settling');
    previous = current;
  }
}

/** Every (subsidiary, local id) linked to a party has its look-up row: the 360° projection has caught up. */
function identityCaughtUp(d: StateDigest): boolean {
  return (d.client_lookup?.rows ?? 0) === (d.party_links?.rows ?? 0);
}
