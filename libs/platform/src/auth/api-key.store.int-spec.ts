import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/infra/postgres';
import { ApiKeyStore } from './api-key.store';
import { openAuthDataSource } from './auth-data-source';
import { ApiKeyRequestError } from './auth.errors';
import { authMigrations } from './auth.migrations';
import { createApiKeyCli } from './create-api-key.cli';
import { ensureDevCredentials } from './dev-credentials';

let db: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('auth_store');
  dataSource = await openAuthDataSource(db.url);
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

describe('auth migrations', () => {
  it('given an empty database, when four services run the migration at once under their own tables, then all succeed', async () => {
    const fresh = await createTestDatabase('auth_migrate');
    const services = ['life', 'pnc', 'group', 'coordination'].map(
      (service) =>
        new DataSource({ type: 'postgres', url: fresh.url, migrations: authMigrations, migrationsTableName: `${service}_migrations`, migrationsTransactionMode: 'each' }),
    );
    try {
      await Promise.all(services.map((s) => s.initialize()));
      const results = await Promise.all(services.map((s) => s.runMigrations()));
      expect(results.map((r) => r.length)).toEqual([1, 1, 1, 1]);
      const [table] = await services[0].query(`SELECT to_regclass('auth.api_keys') AS name`);
      expect(table.name).toBe('auth.api_keys');
    } finally {
      await Promise.all(services.map((s) => (s.isInitialized ? s.destroy() : undefined)));
      await fresh.drop();
    }
  });
});

describe('ApiKeyStore', () => {
  const store = () => new ApiKeyStore(dataSource);

  it('given a created key, when it is verified, then it yields the principal of its role', async () => {
    const created = await store().create({ name: 'life-core', role: 'subsidiary:life', createdBy: 'test' });
    expect(created).toMatchObject({ name: 'life-core', role: 'subsidiary:life', subsidiary: 'life', createdBy: 'test', revokedAt: null });
    expect(await store().verify(created.key)).toEqual({
      id: created.id,
      kind: 'api-key',
      name: 'life-core',
      roles: ['subsidiary:life'],
      subsidiary: 'life',
    });
  });

  it('given a created key, then only its SHA-256 is stored and last use is recorded on verification', async () => {
    const created = await store().create({ name: 'ops', role: 'admin', createdBy: 'test' });
    const [row] = await dataSource.query(`SELECT key_hash, last_used_at FROM auth.api_keys WHERE id = $1`, [created.id]);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.key_hash).not.toContain(created.key.split('_').pop());
    expect(row.last_used_at).toBeNull();
    await store().verify(created.key);
    const [used] = await dataSource.query(`SELECT last_used_at FROM auth.api_keys WHERE id = $1`, [created.id]);
    expect(used.last_used_at).toBeInstanceOf(Date);
  });

  it('given a known id, when the secret is wrong, then verification fails', async () => {
    const created = await store().create({ name: 'x', role: 'coordinator', createdBy: 'test' });
    const last = created.key.at(-1) === 'A' ? 'B' : 'A';
    const forged = `${created.key.slice(0, -1)}${last}`;
    expect(await store().verify(forged)).toBeNull();
    expect(await store().verify('xsk_0000000000000000_' + 'a'.repeat(43))).toBeNull();
    expect(await store().verify('garbage')).toBeNull();
  });

  it('given a revoked key, then it no longer verifies and revoking again keeps the first revocation', async () => {
    const keys = store();
    const created = await keys.create({ name: 'pnc-core', role: 'subsidiary:pnc', createdBy: 'test' });
    expect(await keys.verify(created.key)).not.toBeNull();
    const revoked = await keys.revoke(created.id, 'security');
    expect(revoked).toMatchObject({ id: created.id, revokedBy: 'security' });
    expect(await keys.verify(created.key)).toBeNull();
    const again = await keys.revoke(created.id, 'someone-else');
    expect(again).toMatchObject({ revokedBy: 'security', revokedAt: revoked!.revokedAt });
    expect(await keys.revoke('ffffffffffffffff', 'security')).toBeNull();
  });

  it('given another instance cached a key, when it is revoked elsewhere, then that instance refuses it once the cache period passes', async () => {
    let now = 1_000_000;
    const cachingInstance = new ApiKeyStore(dataSource, { cacheTtlMs: 5_000, now: () => now });
    const created = await store().create({ name: 'group-core', role: 'subsidiary:group', createdBy: 'test' });
    expect(await cachingInstance.verify(created.key)).not.toBeNull();
    await store().revoke(created.id, 'security');
    now += 4_999;
    expect(await cachingInstance.verify(created.key)).not.toBeNull();
    now += 2;
    expect(await cachingInstance.verify(created.key)).toBeNull();
  });

  it('given keys, when listed, then records come without secrets or hashes', async () => {
    const created = await store().create({ name: 'listed', role: 'auditor', createdBy: 'test' });
    const listed = await store().list();
    const record = listed.find((k) => k.id === created.id);
    expect(record).toMatchObject({ name: 'listed', role: 'auditor', subsidiary: null });
    expect(JSON.stringify(listed)).not.toMatch(/xsk_|key_hash|[0-9a-f]{64}/);
  });

  it.each([
    ['unknown role', { name: 'x', role: 'root' as never, createdBy: 't' }],
    ['subsidiary contradicting the role', { name: 'x', role: 'subsidiary:life' as const, subsidiary: 'pnc' as const, createdBy: 't' }],
    ['blank name', { name: ' ', role: 'admin' as const, createdBy: 't' }],
  ])('given %s, when creating, then it is refused', async (_label, input) => {
    await expect(store().create(input)).rejects.toBeInstanceOf(ApiKeyRequestError);
  });
});

describe('ensureDevCredentials', () => {
  it('given no file, then one key per role is written with mode 0600; a second run keeps them; a revoked one is replaced', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'xsell-auth-')), '.dev', 'credentials.json');
    const first = await ensureDevCredentials(dataSource, path);
    expect(Object.keys(first).sort()).toEqual(['admin', 'auditor', 'coordinator', 'group', 'life', 'pnc']);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await new ApiKeyStore(dataSource).verify(first.pnc))?.roles).toEqual(['subsidiary:pnc']);

    expect(await ensureDevCredentials(dataSource, path)).toEqual(first);

    await new ApiKeyStore(dataSource).revoke(first.auditor.split('_')[1], 'test');
    const third = await ensureDevCredentials(dataSource, path);
    expect(third.auditor).not.toBe(first.auditor);
    expect({ ...third, auditor: null }).toEqual({ ...first, auditor: null });
    expect((await new ApiKeyStore(dataSource).verify(third.auditor))?.roles).toEqual(['auditor']);
  });

  it('given a file whose keys belong to another role or another database, then they are replaced', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'xsell-auth-')), 'credentials.json');
    const admin = await new ApiKeyStore(dataSource).create({ name: 'a', role: 'admin', createdBy: 't' });
    writeFileSync(path, JSON.stringify({ life: admin.key, pnc: 'xsk_0000000000000000_' + 'a'.repeat(43), group: 42 }));
    const credentials = await ensureDevCredentials(dataSource, path);
    expect(credentials.life).not.toBe(admin.key);
    expect((await new ApiKeyStore(dataSource).verify(credentials.life))?.roles).toEqual(['subsidiary:life']);
    expect((await new ApiKeyStore(dataSource).verify(credentials.group))?.roles).toEqual(['subsidiary:group']);
  });
});

describe('create-api-key CLI', () => {
  it('given name and role, then it prints only the key on stdout, and that key verifies', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await createApiKeyCli(['--name', 'ops', '--role', 'admin'], { DATABASE_URL: db.url }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    expect(await new ApiKeyStore(dataSource).verify(out[0])).toMatchObject({ name: 'ops', roles: ['admin'] });
    expect(err.join('\n')).toContain('shown once');
  });

  it('given no DATABASE_URL, then it exits 2 without output', async () => {
    const out: string[] = [];
    const code = await createApiKeyCli(['--name', 'ops', '--role', 'admin'], {}, { out: (l) => out.push(l), err: () => undefined });
    expect(code).toBe(2);
    expect(out).toEqual([]);
  });
});
