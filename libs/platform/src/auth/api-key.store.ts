import type { DataSource } from 'typeorm';
import { generateApiKey, parseApiKey, secretMatches, type RandomBytes } from './api-key.util';
import { ApiKeyRequestError } from './auth.errors';
import { isRole, resolveSubsidiary, type Principal, type Role, type Subsidiary } from './roles';

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  subsidiary: Subsidiary | null;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  revokedBy: string | null;
  lastUsedAt: Date | null;
}

export interface NewApiKey {
  name: string;
  role: Role;
  subsidiary?: Subsidiary | null;
  createdBy: string;
}

/** The created record plus the full key, which exists only in this answer. */
export interface CreatedApiKey extends ApiKeyRecord {
  key: string;
}

export interface ApiKeyStoreOptions {
  /** How long a verified key is trusted without reading the table; also the revocation delay. */
  cacheTtlMs?: number;
  now?: () => number;
  random?: RandomBytes;
}

interface KeyRow {
  id: string;
  name: string;
  role: string;
  subsidiary: Subsidiary | null;
  key_hash: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

interface CachedKey {
  hash: string;
  principal: Principal;
  expiresAt: number;
}

export const DEFAULT_API_KEY_CACHE_TTL_MS = 5_000;
const COLUMNS = 'id, name, role, subsidiary, key_hash, created_at, created_by, revoked_at, revoked_by, last_used_at';

/**
 * API keys of the subsidiaries' systems and the team's tools, in `auth.api_keys`.
 * Verified keys are cached per instance for `cacheTtlMs` (default 5 s) so hot paths do
 * not read the table on every request; the price is that a revocation reaches other
 * instances within that bound (this instance forgets the key at once).
 */
export class ApiKeyStore {
  private readonly cache = new Map<string, CachedKey>();
  private readonly inflight = new Map<string, Promise<CachedKey | null>>();
  private readonly cacheTtlMs: number;
  private readonly now: () => number;
  private readonly random?: RandomBytes;

  constructor(
    private readonly dataSource: DataSource,
    options: ApiKeyStoreOptions = {},
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? DEFAULT_API_KEY_CACHE_TTL_MS;
    this.now = options.now ?? Date.now;
    this.random = options.random;
  }

  async create(input: NewApiKey): Promise<CreatedApiKey> {
    const { name, role, subsidiary, createdBy } = validateNewKey(input);
    const generated = generateApiKey(this.random);
    const rows: KeyRow[] = await this.dataSource.query(
      `INSERT INTO auth.api_keys (id, name, role, subsidiary, key_hash, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [generated.id, name, role, subsidiary, generated.hash, createdBy],
    );
    return { ...toRecord(rows[0]), key: generated.key };
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows: KeyRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM auth.api_keys ORDER BY created_at, id`);
    return rows.map(toRecord);
  }

  /** Revokes a key; idempotent. Null when no key has this id. */
  async revoke(id: string, by: string): Promise<ApiKeyRecord | null> {
    this.cache.delete(id);
    const rows: KeyRow[] = await this.dataSource.query(
      `WITH revoked AS (
         UPDATE auth.api_keys SET revoked_at = now(), revoked_by = $2
         WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS})
       SELECT ${COLUMNS} FROM revoked
       UNION ALL SELECT ${COLUMNS} FROM auth.api_keys WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM revoked)`,
      [id, by],
    );
    this.cache.delete(id);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The principal a presented key stands for, or null when it is malformed, unknown or revoked. */
  async verify(presented: string): Promise<Principal | null> {
    const parsed = parseApiKey(presented);
    if (!parsed) return null;
    const entry = await this.lookup(parsed.id);
    return entry && secretMatches(parsed.secret, entry.hash) ? entry.principal : null;
  }

  private async lookup(id: string): Promise<CachedKey | null> {
    const cached = this.cache.get(id);
    if (cached && cached.expiresAt > this.now()) return cached;
    const pending = this.inflight.get(id) ?? this.load(id).finally(() => this.inflight.delete(id));
    this.inflight.set(id, pending);
    return pending;
  }

  private async load(id: string): Promise<CachedKey | null> {
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM auth.api_keys WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    );
    const row = rows[0];
    if (!row || !isRole(row.role)) {
      this.cache.delete(id);
      return null;
    }
    const entry = { hash: row.key_hash, principal: toPrincipal(row), expiresAt: this.now() + this.cacheTtlMs };
    this.cache.set(id, entry);
    // Written once per cache period, not per request: "last used" is coarse by design.
    await this.dataSource.query(`UPDATE auth.api_keys SET last_used_at = now() WHERE id = $1`, [id]);
    return entry;
  }
}

function validateNewKey(input: NewApiKey): Required<NewApiKey> {
  const name = input.name?.trim();
  if (!name) throw new ApiKeyRequestError('An API key needs a name.');
  if (!input.createdBy?.trim()) throw new ApiKeyRequestError('An API key needs createdBy.');
  if (!isRole(input.role)) throw new ApiKeyRequestError(`Unknown role ${JSON.stringify(input.role)}.`);
  const subsidiary = resolveSubsidiary([input.role], input.subsidiary ?? null);
  if (subsidiary === undefined) {
    throw new ApiKeyRequestError(`Role ${input.role} cannot act for subsidiary ${input.subsidiary}.`);
  }
  return { name, role: input.role, subsidiary, createdBy: input.createdBy.trim() };
}

function toRecord(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    subsidiary: row.subsidiary,
    createdAt: row.created_at,
    createdBy: row.created_by,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    lastUsedAt: row.last_used_at,
  };
}

const toPrincipal = (row: KeyRow): Principal => ({
  id: row.id,
  kind: 'api-key',
  name: row.name,
  roles: [row.role as Role],
  subsidiary: row.subsidiary,
});
