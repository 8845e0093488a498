/**
 * Mints an API key, e.g. the first admin key of a fresh deployment:
 *   DATABASE_URL=postgres://... node dist/scripts/create-api-key.js --name ops --role admin [--subsidiary life]
 * The key is printed once, on stdout; only its hash is stored.
 */
import { createApiKeyCli } from '@lib/platform/auth';

createApiKeyCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`create-api-key failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
