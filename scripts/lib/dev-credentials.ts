/** Filled in when the auth module lands: creates one key per role and writes them to path. */
export async function writeDevCredentialsFile(_databaseUrl: string, _path: string): Promise<string | null> {
  return null;
}
