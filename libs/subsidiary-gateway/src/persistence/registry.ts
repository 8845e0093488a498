import type { EntityManager } from 'typeorm';
import type { PolicyStatus } from '../domain/policy-lifecycle';
import { insertIfAbsent, loadReferences, type BatchedStatements, type InsertRow, type References } from './batched-statements';

export type { References } from './batched-statements';

export interface ClientRow {
  localId: string;
  kind: 'person' | 'organization';
  routingKey: string;
}

export interface NewClient extends ClientRow {
  identityType: string | null;
  identityHash: string | null;
  identityMasked: string | null;
  identityEncrypted: string | null;
  creditCode: string | null;
}

export interface PolicyRow {
  policyNo: string;
  holderLocalId: string;
  productCode: string;
  premiumMode: string;
  status: PolicyStatus;
  routingKey: string;
}

export interface NewPolicy {
  policyNo: string;
  holderLocalId: string;
  productCode: string;
  productLine: string;
  premiumMode: string;
}

/**
 * The registry's SQL, bound to the request's transaction. Creations are
 * `INSERT ... ON CONFLICT DO NOTHING`: the primary key, not a prior read, decides
 * which of two concurrent requests wins. Reads that precede a status change lock the row.
 * In a group commit (`batch`), creations and reference lookups share statements with the
 * other requests of the batch.
 */
export class Registry {
  private wrote = false;

  constructor(
    private readonly manager: EntityManager,
    private readonly schema: string,
    private readonly batch?: BatchedStatements,
  ) {}

  /** True once this request has changed a registry row (a refused insert changes nothing). */
  get hasWritten(): boolean {
    return this.wrote;
  }

  /** False when the local id is taken. */
  async insertClient(c: NewClient): Promise<boolean> {
    return this.insert('clients', 'local_id', {
      local_id: c.localId, kind: c.kind, routing_key: c.routingKey, identity_type: c.identityType, identity_hash: c.identityHash,
      identity_masked: c.identityMasked, identity_encrypted: c.identityEncrypted, credit_code: c.creditCode,
    });
  }

  async updateClient(c: Omit<NewClient, 'routingKey' | 'kind'>): Promise<void> {
    this.wrote = true;
    await this.manager.query(
      `UPDATE ${this.t('clients')} SET identity_type = $2, identity_hash = $3, identity_masked = $4, identity_encrypted = $5,
              credit_code = $6, updated_at = now() WHERE local_id = $1`,
      [c.localId, c.identityType, c.identityHash, c.identityMasked, c.identityEncrypted, c.creditCode],
    );
  }

  async client(localId: string, forUpdate = false): Promise<ClientRow | null> {
    const rows: Array<{ local_id: string; kind: ClientRow['kind']; routing_key: string }> = await this.manager.query(
      `SELECT local_id, kind, routing_key FROM ${this.t('clients')} WHERE local_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [localId],
    );
    return rows[0] ? { localId: rows[0].local_id, kind: rows[0].kind, routingKey: rows[0].routing_key } : null;
  }

  /** Clients (with their routing keys) and agents (with their status) a request refers to, in one round trip. */
  async references(clientIds: string[], agentIds: string[]): Promise<References> {
    return this.batch ? this.batch.references(clientIds, agentIds) : loadReferences(this.manager, this.schema, clientIds, agentIds);
  }

  async insertAgent(a: { agentId: string; channel: string; branchId: string; teamId: string }): Promise<boolean> {
    return this.insert('agents', 'agent_id', { agent_id: a.agentId, status: 'active', channel: a.channel, branch_id: a.branchId, team_id: a.teamId });
  }

  async agentStatus(agentId: string, forUpdate = false): Promise<'active' | 'terminated' | null> {
    const rows: Array<{ status: 'active' | 'terminated' }> = await this.manager.query(
      `SELECT status FROM ${this.t('agents')} WHERE agent_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [agentId],
    );
    return rows[0]?.status ?? null;
  }

  async updateAgent(agentId: string, changes: { status?: 'terminated'; branchId?: string; teamId?: string }): Promise<void> {
    this.wrote = true;
    await this.manager.query(
      `UPDATE ${this.t('agents')} SET status = COALESCE($2, status), branch_id = COALESCE($3, branch_id),
              team_id = COALESCE($4, team_id), updated_at = now() WHERE agent_id = $1`,
      [agentId, changes.status ?? null, changes.branchId ?? null, changes.teamId ?? null],
    );
  }

  async insertPolicy(p: NewPolicy): Promise<boolean> {
    return this.insert('policies', 'policy_no', {
      policy_no: p.policyNo, holder_local_id: p.holderLocalId, product_code: p.productCode, product_line: p.productLine,
      premium_mode: p.premiumMode, status: 'in_force',
    });
  }

  /** The policy with its holder's routing key; locked when its status is about to change. */
  async policy(policyNo: string, forUpdate = false): Promise<PolicyRow | null> {
    const rows: Array<Record<string, string>> = await this.manager.query(
      `SELECT p.policy_no, p.holder_local_id, p.product_code, p.premium_mode, p.status, c.routing_key
         FROM ${this.t('policies')} p JOIN ${this.t('clients')} c ON c.local_id = p.holder_local_id
        WHERE p.policy_no = $1${forUpdate ? ' FOR UPDATE OF p' : ''}`,
      [policyNo],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      policyNo: r.policy_no, holderLocalId: r.holder_local_id, productCode: r.product_code,
      premiumMode: r.premium_mode, status: r.status as PolicyStatus, routingKey: r.routing_key,
    };
  }

  async updatePolicy(policyNo: string, changes: { status: PolicyStatus; premiumMode?: string }): Promise<void> {
    this.wrote = true;
    await this.manager.query(
      `UPDATE ${this.t('policies')} SET status = $2, premium_mode = COALESCE($3, premium_mode), updated_at = now() WHERE policy_no = $1`,
      [policyNo, changes.status, changes.premiumMode ?? null],
    );
  }

  async insertClaim(claimNo: string, policyNo: string): Promise<boolean> {
    return this.insert('claims', 'claim_no', { claim_no: claimNo, policy_no: policyNo, status: 'reported' });
  }

  async claim(claimNo: string): Promise<{ policyNo: string; status: 'reported' | 'settled' } | null> {
    const rows: Array<{ policy_no: string; status: 'reported' | 'settled' }> = await this.manager.query(
      `SELECT policy_no, status FROM ${this.t('claims')} WHERE claim_no = $1 FOR UPDATE`,
      [claimNo],
    );
    return rows[0] ? { policyNo: rows[0].policy_no, status: rows[0].status } : null;
  }

  async settleClaim(claimNo: string): Promise<void> {
    this.wrote = true;
    await this.manager.query(`UPDATE ${this.t('claims')} SET status = 'settled', updated_at = now() WHERE claim_no = $1`, [claimNo]);
  }

  async insertReferral(referralId: string, clientLocalId: string): Promise<boolean> {
    return this.insert('referrals', 'referral_id', { referral_id: referralId, client_local_id: clientLocalId });
  }

  async insertActivity(activityId: string, agentId: string): Promise<boolean> {
    return this.insert('activities', 'activity_id', { activity_id: activityId, agent_id: agentId });
  }

  /** False when a row with this key exists (or another request of the batch took the key first). */
  private async insert(table: string, keyColumn: string, row: InsertRow): Promise<boolean> {
    const [inserted] = this.batch
      ? [await this.batch.insertIfAbsent(this.t(table), keyColumn, row)]
      : await insertIfAbsent(this.manager, this.t(table), keyColumn, [row]);
    this.wrote ||= inserted;
    return inserted;
  }

  private t(table: string): string {
    return `"${this.schema}".${table}`;
  }
}
