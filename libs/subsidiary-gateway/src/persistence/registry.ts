import type { EntityManager } from 'typeorm';
import type { PolicyStatus } from '../domain/policy-lifecycle';

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

export interface References {
  /** local id -> routing key, for the registered ones */
  clientKeys: Map<string, string>;
  agentStatuses: Map<string, 'active' | 'terminated'>;
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
 */
export class Registry {
  constructor(
    private readonly manager: EntityManager,
    private readonly schema: string,
  ) {}

  /** False when the local id is taken. */
  async insertClient(c: NewClient): Promise<boolean> {
    return this.inserted(
      `INSERT INTO ${this.t('clients')} (local_id, kind, routing_key, identity_type, identity_hash, identity_masked, identity_encrypted, credit_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (local_id) DO NOTHING RETURNING local_id`,
      [c.localId, c.kind, c.routingKey, c.identityType, c.identityHash, c.identityMasked, c.identityEncrypted, c.creditCode],
    );
  }

  async updateClient(c: Omit<NewClient, 'routingKey' | 'kind'>): Promise<void> {
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
    const rows: Array<{ kind: 'client' | 'agent'; id: string; value: string }> = await this.manager.query(
      `SELECT 'client' AS kind, local_id AS id, routing_key AS value FROM ${this.t('clients')} WHERE local_id = ANY($1::text[])
       UNION ALL
       SELECT 'agent', agent_id, status FROM ${this.t('agents')} WHERE agent_id = ANY($2::text[])`,
      [clientIds, agentIds],
    );
    const pick = (kind: string) => new Map(rows.filter((r) => r.kind === kind).map((r) => [r.id, r.value]));
    return { clientKeys: pick('client'), agentStatuses: pick('agent') as Map<string, 'active' | 'terminated'> };
  }

  async insertAgent(a: { agentId: string; channel: string; branchId: string; teamId: string }): Promise<boolean> {
    return this.inserted(
      `INSERT INTO ${this.t('agents')} (agent_id, status, channel, branch_id, team_id) VALUES ($1, 'active', $2, $3, $4)
       ON CONFLICT (agent_id) DO NOTHING RETURNING agent_id`,
      [a.agentId, a.channel, a.branchId, a.teamId],
    );
  }

  async agentStatus(agentId: string, forUpdate = false): Promise<'active' | 'terminated' | null> {
    const rows: Array<{ status: 'active' | 'terminated' }> = await this.manager.query(
      `SELECT status FROM ${this.t('agents')} WHERE agent_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [agentId],
    );
    return rows[0]?.status ?? null;
  }

  async updateAgent(agentId: string, changes: { status?: 'terminated'; branchId?: string; teamId?: string }): Promise<void> {
    await this.manager.query(
      `UPDATE ${this.t('agents')} SET status = COALESCE($2, status), branch_id = COALESCE($3, branch_id),
              team_id = COALESCE($4, team_id), updated_at = now() WHERE agent_id = $1`,
      [agentId, changes.status ?? null, changes.branchId ?? null, changes.teamId ?? null],
    );
  }

  async insertPolicy(p: NewPolicy): Promise<boolean> {
    return this.inserted(
      `INSERT INTO ${this.t('policies')} (policy_no, holder_local_id, product_code, product_line, premium_mode, status)
       VALUES ($1, $2, $3, $4, $5, 'in_force') ON CONFLICT (policy_no) DO NOTHING RETURNING policy_no`,
      [p.policyNo, p.holderLocalId, p.productCode, p.productLine, p.premiumMode],
    );
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
    await this.manager.query(
      `UPDATE ${this.t('policies')} SET status = $2, premium_mode = COALESCE($3, premium_mode), updated_at = now() WHERE policy_no = $1`,
      [policyNo, changes.status, changes.premiumMode ?? null],
    );
  }

  async insertClaim(claimNo: string, policyNo: string): Promise<boolean> {
    return this.inserted(
      `INSERT INTO ${this.t('claims')} (claim_no, policy_no, status) VALUES ($1, $2, 'reported')
       ON CONFLICT (claim_no) DO NOTHING RETURNING claim_no`,
      [claimNo, policyNo],
    );
  }

  async claim(claimNo: string): Promise<{ policyNo: string; status: 'reported' | 'settled' } | null> {
    const rows: Array<{ policy_no: string; status: 'reported' | 'settled' }> = await this.manager.query(
      `SELECT policy_no, status FROM ${this.t('claims')} WHERE claim_no = $1 FOR UPDATE`,
      [claimNo],
    );
    return rows[0] ? { policyNo: rows[0].policy_no, status: rows[0].status } : null;
  }

  async settleClaim(claimNo: string): Promise<void> {
    await this.manager.query(`UPDATE ${this.t('claims')} SET status = 'settled', updated_at = now() WHERE claim_no = $1`, [claimNo]);
  }

  async insertReferral(referralId: string, clientLocalId: string): Promise<boolean> {
    return this.inserted(
      `INSERT INTO ${this.t('referrals')} (referral_id, client_local_id) VALUES ($1, $2) ON CONFLICT (referral_id) DO NOTHING RETURNING referral_id`,
      [referralId, clientLocalId],
    );
  }

  async insertActivity(activityId: string, agentId: string): Promise<boolean> {
    return this.inserted(
      `INSERT INTO ${this.t('activities')} (activity_id, agent_id) VALUES ($1, $2) ON CONFLICT (activity_id) DO NOTHING RETURNING activity_id`,
      [activityId, agentId],
    );
  }

  private async inserted(sql: string, params: unknown[]): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(sql, params);
    return rows.length > 0;
  }

  private t(table: string): string {
    return `"${this.schema}".${table}`;
  }
}
