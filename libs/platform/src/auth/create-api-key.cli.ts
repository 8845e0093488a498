import { parseArgs } from 'node:util';
import { ApiKeyStore } from './api-key.store';
import { openAuthDataSource } from './auth-data-source';
import { isRole, isSubsidiary, type Role, type Subsidiary } from './roles';

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = 'usage: create-api-key --name <name> --role <role> [--subsidiary life|pnc|group] [--created-by <who>]';

/**
 * Mints an API key (typically the first admin key) straight in the database named by
 * DATABASE_URL, creating the auth schema if it is missing. The key goes to stdout alone,
 * so it can be piped into a secret store; everything else goes to stderr. Exit code.
 */
export async function createApiKeyCli(argv: string[], env: NodeJS.ProcessEnv, io: CliOutput): Promise<number> {
  const args = parseCliArgs(argv, `cli:${env.USER ?? 'unknown'}`);
  if ('error' in args) {
    io.err(`${args.error}\n${USAGE}`);
    return 2;
  }
  if (!env.DATABASE_URL) {
    io.err('DATABASE_URL is required');
    return 2;
  }
  const dataSource = await openAuthDataSource(env.DATABASE_URL);
  try {
    const created = await new ApiKeyStore(dataSource).create(args);
    io.err(`Created API key ${created.id} "${created.name}" (${created.role}${created.subsidiary ? `, ${created.subsidiary}` : ''}). It is shown once; store it now.`);
    io.out(created.key);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

type CliArgs = { name: string; role: Role; subsidiary: Subsidiary | null; createdBy: string } | { error: string };

export function parseCliArgs(argv: string[], defaultCreatedBy = 'cli'): CliArgs {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { name: { type: 'string' }, role: { type: 'string' }, subsidiary: { type: 'string' }, 'created-by': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (!values.name) return { error: '--name is required' };
  if (!isRole(values.role)) return { error: `--role must be one of the roles (got ${values.role ?? 'nothing'})` };
  if (values.subsidiary !== undefined && !isSubsidiary(values.subsidiary)) return { error: '--subsidiary must be life, pnc or group' };
  return { name: values.name, role: values.role, subsidiary: values.subsidiary ?? null, createdBy: values['created-by'] ?? defaultCreatedBy };
}
