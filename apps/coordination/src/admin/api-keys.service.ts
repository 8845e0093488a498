import { ApiKeyStore, type ApiKeyRecord, type CreatedApiKey, type Role, type Subsidiary } from '@lib/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { apiKeyNotFound } from './admin.errors';
import { AdminActionRecorder, inActionTransaction, type Actor } from './admin-actions';

/**
 * The key store runs plain queries on whatever it is given; given the transaction's
 * manager, its insert or update commits with the admin-action event or not at all.
 */
const storeIn = (manager: EntityManager): ApiKeyStore => new ApiKeyStore(manager as unknown as DataSource);

/** API keys of this service's `auth` schema, managed by admins; every change is an admin action. */
@Injectable()
export class ApiKeysAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: ApiKeyStore,
    private readonly actions: AdminActionRecorder,
  ) {}

  list(): Promise<ApiKeyRecord[]> {
    return this.keys.list();
  }

  /** The full key is in this answer only; the event records who created which key for which role, never the key. */
  create(input: { name: string; role: Role; subsidiary?: Subsidiary | null }, actor: Actor): Promise<CreatedApiKey> {
    return inActionTransaction(this.dataSource, async (manager) => {
      const created = await storeIn(manager).create({ ...input, createdBy: actor.id });
      await this.actions.record(manager, actor, {
        type: 'ApiKeyCreated',
        data: { id: created.id, name: created.name, role: created.role, subsidiary: created.subsidiary },
      });
      return created;
    });
  }

  /** Idempotent: revoking a revoked key answers it unchanged and records nothing. */
  async revoke(id: string, actor: Actor): Promise<ApiKeyRecord> {
    const record = await inActionTransaction(this.dataSource, async (manager) => {
      const [row] = await manager.query<Array<{ revoked: boolean }>>(
        `SELECT revoked_at IS NOT NULL AS revoked FROM auth.api_keys WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!row) throw apiKeyNotFound(id);
      const revoked = (await storeIn(manager).revoke(id, actor.id))!;
      if (!row.revoked) await this.actions.record(manager, actor, { type: 'ApiKeyRevoked', data: { id, name: revoked.name, role: revoked.role } });
      return revoked;
    });
    // Drops this instance's cached verification now; others forget it within the cache TTL.
    await this.keys.revoke(id, actor.id);
    return record;
  }
}
