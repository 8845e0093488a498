import { ensureDevCredentials, openAuthDataSource } from '@lib/platform';

/** One API key per role, written to path (git-ignored) so a developer can call every API at once. */
export async function writeDevCredentialsFile(databaseUrl: string, path: string): Promise<string> {
  const dataSource = await openAuthDataSource(databaseUrl);
  try {
    await ensureDevCredentials(dataSource, path);
    return path;
  } finally {
    await dataSource.destroy();
  }
}
