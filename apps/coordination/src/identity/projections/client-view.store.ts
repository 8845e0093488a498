/**
 * SQL of the client-view projection. Every table name goes through `table()`, which
 * answers the live table or an auditor's rebuild shadow.
 */
import type { EntityManager } from 'typeorm';
import type { ClientView, PartyLink } from '../domain';
import type { RelationshipRecordedData } from '../inbound/relationship.events';
import type { PolicyFact } from './policy-fold';

export const CLIENT_VIEW = 'coordination.client_view';
export const CLIENT_LOOKUP = 'coordination.client_lookup';
export const VIEW_POLICIES = 'coordination.client_view_policies';
export const VIEW_RELATIONSHIPS = 'coordination.client_view_relationships';

export interface Tables {
  manager: EntityManager;
  table(name: string): string;
}

/** 'sub:localId' keys to the parties that hold them now (as far as this projection has read). */
async function lookupKeys(t: Tables, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const split = keys.map((k) => [k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1)]);
  const rows: Array<{ key: string; party_id: string }> = await t.manager.query(
    `SELECT c.subsidiary || ':' || c.local_id AS key, c.party_id FROM ${t.table(CLIENT_LOOKUP)} c
       JOIN unnest($1::text[], $2::text[]) AS k(s, l) ON c.subsidiary = k.s AND c.local_id = k.l`,
    [split.map(([s]) => s), split.map(([, l]) => l)],
  );
  return new Map(rows.map((r) => [r.key, r.party_id]));
}

const policyId = (subsidiary: string, policyNo: string): string => `${subsidiary}|${policyNo}`;

/**
 * The projection's tables as one batch of events sees them: look-ups and folded policies
 * are read once and written once per batch (multi-row statements at `flush`), answering
 * from what the batch already wrote in between. Only the projection writes these tables,
 * inside the batch's transaction, so what it holds is what the tables hold.
 */
export class ViewBatch implements Tables {
  private readonly lookups = new Map<string, string>();
  private readonly pendingLookups = new Map<string, { subsidiary: string; localId: string; partyId: string }>();
  private readonly policies = new Map<string, PolicyFact | null>();
  private readonly pendingPolicies = new Map<string, { policy: PolicyFact; keys: string[] }>();

  constructor(private readonly t: Tables) {}

  get manager(): EntityManager {
    return this.t.manager;
  }

  table(name: string): string {
    return this.t.table(name);
  }

  setLookup(links: Array<Pick<PartyLink, 'subsidiary' | 'localId'>>, partyId: string): void {
    for (const l of links) {
      const key = `${l.subsidiary}:${l.localId}`;
      this.lookups.set(key, partyId);
      this.pendingLookups.set(key, { subsidiary: l.subsidiary, localId: l.localId, partyId });
    }
  }

  async partiesOfKeys(keys: string[]): Promise<Map<string, string>> {
    const missing = [...new Set(keys.filter((k) => !this.lookups.has(k)))];
    for (const [key, partyId] of await lookupKeys(this.t, missing)) this.lookups.set(key, partyId);
    const found = new Map<string, string>();
    for (const key of keys) {
      const partyId = this.lookups.get(key);
      if (partyId) found.set(key, partyId);
    }
    return found;
  }

  /** Loads the named policies in one read (the ones the batch's events will fold). */
  async preloadPolicies(refs: Array<{ subsidiary: string; policyNo: string }>): Promise<void> {
    const wanted = refs.filter((r) => !this.policies.has(policyId(r.subsidiary, r.policyNo)));
    if (wanted.length === 0) return;
    for (const r of wanted) this.policies.set(policyId(r.subsidiary, r.policyNo), null);
    const rows: Array<{ policy: PolicyFact }> = await this.t.manager.query(
      `SELECT p.policy FROM ${this.t.table(VIEW_POLICIES)} p
         JOIN unnest($1::text[], $2::text[]) AS w(s, n) ON p.subsidiary = w.s AND p.policy_no = w.n`,
      [wanted.map((r) => r.subsidiary), wanted.map((r) => r.policyNo)],
    );
    for (const { policy } of rows) this.policies.set(policyId(policy.subsidiary, policy.policyNo), policy);
  }

  async findPolicy(subsidiary: string, policyNo: string): Promise<PolicyFact | null> {
    await this.preloadPolicies([{ subsidiary, policyNo }]);
    return this.policies.get(policyId(subsidiary, policyNo)) ?? null;
  }

  savePolicy(policy: PolicyFact, keys: string[]): void {
    const id = policyId(policy.subsidiary, policy.policyNo);
    this.policies.set(id, policy);
    this.pendingPolicies.set(id, { policy, keys });
  }

  /** Writes what the batch changed: one statement per table. */
  async flush(): Promise<void> {
    if (this.pendingLookups.size > 0) {
      const links = [...this.pendingLookups.values()];
      this.pendingLookups.clear();
      await this.t.manager.query(
        `INSERT INTO ${this.t.table(CLIENT_LOOKUP)} (subsidiary, local_id, party_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[])
         ON CONFLICT (subsidiary, local_id) DO UPDATE SET party_id = EXCLUDED.party_id`,
        [links.map((l) => l.subsidiary), links.map((l) => l.localId), links.map((l) => l.partyId)],
      );
    }
    if (this.pendingPolicies.size > 0) {
      const policies = [...this.pendingPolicies.values()];
      this.pendingPolicies.clear();
      await this.t.manager.query(
        `INSERT INTO ${this.t.table(VIEW_POLICIES)} (subsidiary, policy_no, party_keys, policy)
         SELECT s, n, ARRAY(SELECT jsonb_array_elements_text(k)), p FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[]) AS x(s, n, k, p)
         ON CONFLICT (subsidiary, policy_no) DO UPDATE SET party_keys = EXCLUDED.party_keys, policy = EXCLUDED.policy`,
        [
          policies.map((p) => p.policy.subsidiary), policies.map((p) => p.policy.policyNo),
          policies.map((p) => JSON.stringify(p.keys)), policies.map((p) => JSON.stringify(p.policy)),
        ],
      );
    }
  }
}

export async function saveRelationship(t: Tables, r: RelationshipRecordedData, keys: string[]): Promise<void> {
  await t.manager.query(
    `INSERT INTO ${t.table(VIEW_RELATIONSHIPS)} (relationship_id, party_keys, relationship) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (relationship_id) DO UPDATE SET party_keys = EXCLUDED.party_keys, relationship = EXCLUDED.relationship`,
    [r.relationshipId, keys, JSON.stringify(r)],
  );
}

/** Rows whose party_keys overlap `keys`, each with its keys, in `orderBy` order (callers split them per party). */
async function rowsOfKeys<R>(t: Tables, table: string, column: string, orderBy: string, keys: string[]): Promise<Array<{ keys: string[]; row: R }>> {
  if (keys.length === 0) return [];
  const rows: Array<{ party_keys: string[]; row: R }> = await t.manager.query(
    `SELECT party_keys, ${column} AS row FROM ${t.table(table)} WHERE party_keys && $1::text[] ORDER BY ${orderBy}`,
    [[...new Set(keys)]],
  );
  return rows.map((r) => ({ keys: r.party_keys, row: r.row }));
}

export const policiesOfKeys = (t: Tables, keys: string[]) => rowsOfKeys<PolicyFact>(t, VIEW_POLICIES, 'policy', 'subsidiary, policy_no', keys);

export const relationshipsOfKeys = (t: Tables, keys: string[]) =>
  rowsOfKeys<RelationshipRecordedData>(t, VIEW_RELATIONSHIPS, 'relationship', 'relationship_id', keys);

/** The rows among `rows` that name one of `keys`, in their order. */
export const naming = <R>(rows: Array<{ keys: string[]; row: R }>, keys: ReadonlySet<string>): R[] =>
  rows.filter((r) => r.keys.some((k) => keys.has(k))).map((r) => r.row);

/** Every view of the batch in one statement. */
export async function saveViews(t: Tables, views: Array<{ view: ClientView; at: Date; position: string }>): Promise<void> {
  if (views.length === 0) return;
  await t.manager.query(
    `INSERT INTO ${t.table(CLIENT_VIEW)} (party_id, view, tier, updated_at, updated_position)
     SELECT * FROM unnest($1::uuid[], $2::jsonb[], $3::text[], $4::timestamptz[], $5::text[])
     ON CONFLICT (party_id) DO UPDATE SET view = EXCLUDED.view, tier = EXCLUDED.tier,
       updated_at = EXCLUDED.updated_at, updated_position = EXCLUDED.updated_position`,
    [
      views.map((v) => v.view.partyId), views.map((v) => JSON.stringify(v.view)), views.map((v) => v.view.tier.tier),
      views.map((v) => v.at.toISOString()), views.map((v) => v.position),
    ],
  );
}
