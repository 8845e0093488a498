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

export async function setLookup(t: Tables, links: Array<Pick<PartyLink, 'subsidiary' | 'localId'>>, partyId: string): Promise<void> {
  if (links.length === 0) return;
  await t.manager.query(
    `INSERT INTO ${t.table(CLIENT_LOOKUP)} (subsidiary, local_id, party_id)
     SELECT s, l, $3 FROM unnest($1::text[], $2::text[]) AS x(s, l)
     ON CONFLICT (subsidiary, local_id) DO UPDATE SET party_id = EXCLUDED.party_id`,
    [links.map((l) => l.subsidiary), links.map((l) => l.localId), partyId],
  );
}

/** 'sub:localId' keys to the parties that hold them now (as far as this projection has read). */
export async function partiesOfKeys(t: Tables, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const split = keys.map((k) => [k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1)]);
  const rows: Array<{ key: string; party_id: string }> = await t.manager.query(
    `SELECT c.subsidiary || ':' || c.local_id AS key, c.party_id FROM ${t.table(CLIENT_LOOKUP)} c
       JOIN unnest($1::text[], $2::text[]) AS k(s, l) ON c.subsidiary = k.s AND c.local_id = k.l`,
    [split.map(([s]) => s), split.map(([, l]) => l)],
  );
  return new Map(rows.map((r) => [r.key, r.party_id]));
}

export async function findPolicy(t: Tables, subsidiary: string, policyNo: string): Promise<PolicyFact | null> {
  const rows: Array<{ policy: PolicyFact }> = await t.manager.query(
    `SELECT policy FROM ${t.table(VIEW_POLICIES)} WHERE subsidiary = $1 AND policy_no = $2`,
    [subsidiary, policyNo],
  );
  return rows[0]?.policy ?? null;
}

export async function savePolicy(t: Tables, policy: PolicyFact, keys: string[]): Promise<void> {
  await t.manager.query(
    `INSERT INTO ${t.table(VIEW_POLICIES)} (subsidiary, policy_no, party_keys, policy) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (subsidiary, policy_no) DO UPDATE SET party_keys = EXCLUDED.party_keys, policy = EXCLUDED.policy`,
    [policy.subsidiary, policy.policyNo, keys, JSON.stringify(policy)],
  );
}

export async function policiesOfKeys(t: Tables, keys: string[]): Promise<PolicyFact[]> {
  if (keys.length === 0) return [];
  const rows: Array<{ policy: PolicyFact }> = await t.manager.query(
    `SELECT policy FROM ${t.table(VIEW_POLICIES)} WHERE party_keys && $1::text[] ORDER BY subsidiary, policy_no`,
    [keys],
  );
  return rows.map((r) => r.policy);
}

export async function saveRelationship(t: Tables, r: RelationshipRecordedData, keys: string[]): Promise<void> {
  await t.manager.query(
    `INSERT INTO ${t.table(VIEW_RELATIONSHIPS)} (relationship_id, party_keys, relationship) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (relationship_id) DO UPDATE SET party_keys = EXCLUDED.party_keys, relationship = EXCLUDED.relationship`,
    [r.relationshipId, keys, JSON.stringify(r)],
  );
}

export async function relationshipsOfKeys(t: Tables, keys: string[]): Promise<RelationshipRecordedData[]> {
  if (keys.length === 0) return [];
  const rows: Array<{ relationship: RelationshipRecordedData }> = await t.manager.query(
    `SELECT relationship FROM ${t.table(VIEW_RELATIONSHIPS)} WHERE party_keys && $1::text[] ORDER BY relationship_id`,
    [keys],
  );
  return rows.map((r) => r.relationship);
}

export async function saveView(t: Tables, view: ClientView, at: Date, position: string): Promise<void> {
  await t.manager.query(
    `INSERT INTO ${t.table(CLIENT_VIEW)} (party_id, view, tier, updated_at, updated_position) VALUES ($1, $2::jsonb, $3, $4, $5)
     ON CONFLICT (party_id) DO UPDATE SET view = EXCLUDED.view, tier = EXCLUDED.tier,
       updated_at = EXCLUDED.updated_at, updated_position = EXCLUDED.updated_position`,
    [view.partyId, JSON.stringify(view), view.tier.tier, at, position],
  );
}
