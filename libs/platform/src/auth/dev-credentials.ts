import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSource } from 'typeorm';
import { ApiKeyStore } from './api-key.store';
import type { Role } from './roles';

/** The file's keys and the role each one carries (the names the README and the seed scripts use). */
export const DEV_CREDENTIAL_ROLES = {
  life: 'subsidiary:life',
  pnc: 'subsidiary:pnc',
  group: 'subsidiary:group',
  coordinator: 'coordinator',
  auditor: 'auditor',
  admin: 'admin',
} as const satisfies Record<string, Role>;

export type DevCredentialName = keyof typeof DEV_CREDENTIAL_ROLES;
export type DevCredentials = Record<DevCredentialName, string>;

export const DEFAULT_DEV_CREDENTIALS_PATH = '.dev/credentials.json';

/**
 * Development only: one API key per role in `path` (mode 0600). Keys already in the file
 * are kept while they still verify in this database with the right role; missing or stale
 * ones are replaced. The file is written by rename, so services starting together never
 * read half of it.
 */
export async function ensureDevCredentials(dataSource: DataSource, path = DEFAULT_DEV_CREDENTIALS_PATH): Promise<DevCredentials> {
  if (process.env.NODE_ENV === 'production') throw new Error('ensureDevCredentials refuses to mint keys in production');
  const store = new ApiKeyStore(dataSource, { cacheTtlMs: 0 });
  const existing = readCredentials(path);
  const credentials = {} as DevCredentials;
  let changed = false;
  for (const [name, role] of Object.entries(DEV_CREDENTIAL_ROLES) as Array<[DevCredentialName, Role]>) {
    const current = existing[name];
    if (typeof current === 'string' && (await store.verify(current))?.roles.includes(role)) {
      credentials[name] = current;
      continue;
    }
    credentials[name] = (await store.create({ name: `dev-${name}`, role, createdBy: 'dev-credentials' })).key;
    changed = true;
  }
  if (changed) writeCredentials(path, credentials);
  else chmodSync(path, 0o600);
  return credentials;
}

function readCredentials(path: string): Partial<Record<DevCredentialName, unknown>> {
  if (!existsSync(path)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Partial<Record<DevCredentialName, unknown>>) : {};
  } catch {
    return {};
  }
}

function writeCredentials(path: string, credentials: DevCredentials): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
