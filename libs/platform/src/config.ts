import { z } from 'zod';

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
}

/**
 * Validates the environment at boot and fails fast with a message that names each
 * offending variable, so a misconfigured service never starts half-working.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}

const port = z.coerce.number().int().min(0).max(65535);

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
/** A size such as `256kb`, `1.5mb` or `4096` (bytes; units of 1024), as a number of bytes. */
const byteSize = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/, 'must be a size such as 256kb, 1mb or 4096 (bytes)')
  .transform((text) => {
    const [, number, unit] = /^([\d.]+)\s*([a-z]*)$/.exec(text)!;
    return Math.floor(Number(number) * UNITS[unit || 'b']);
  })
  .pipe(z.number().int().min(1, 'must be at least 1 byte'));
const keyMaterial = z
  .string()
  .min(32, 'must be at least 32 characters of key material (hex or base64)')
  .describe('secret');

/** Variables every service reads; each app extends this with its own. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.string().url('must be a postgres:// URL'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_PREPARED_STATEMENTS: z.stringbool().default(true).describe('false behind a pooler that does not keep sessions (PgBouncer transaction mode)'),
  DATABASE_PIPELINE: z.stringbool().default(true).describe('false: one statement in flight per connection (no pipelining)'),
  KAFKA_BROKERS: z.string().optional().describe('comma-separated host:port; absent = embedded mode (PostgreSQL log transport)'),
  KAFKA_CLIENT_ID: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  IDENTITY_HMAC_KEY: keyMaterial.default('dev-only-identity-hmac-key-change-me-0000000000'),
  IDENTITY_ENCRYPTION_KEY: keyMaterial.default('dev-only-identity-encryption-key-change-me-00000'),
  BODY_LIMIT: byteSize.prefault('256kb'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60_000),
  API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(5000),
  JWT_ALGORITHMS: z.string().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_PUBLIC_KEY: z.string().optional(),
  JWT_SECRET: z.string().optional(),
});
export type BaseConfig = z.infer<typeof baseConfigSchema>;

export const portSchema = port;

/** Refuses the development defaults for secrets in production. */
export function assertProductionSecrets(config: BaseConfig): void {
  if (config.NODE_ENV !== 'production') return;
  for (const name of ['IDENTITY_HMAC_KEY', 'IDENTITY_ENCRYPTION_KEY'] as const) {
    if (config[name].startsWith('dev-only-')) throw new ConfigError(`Invalid configuration:\n  ${name}: must be set in production`);
  }
}
