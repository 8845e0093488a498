import { baseConfigSchema, loadConfig, portSchema } from '@lib/platform';
import { z } from 'zod';
import { identityConfigShape } from './identity/identity.config';

export const coordinationConfigSchema = baseConfigSchema.extend({
  ...identityConfigShape,
  PORT: portSchema.default(3000),
  KAFKA_GROUP_ID: z.string().default('coordination'),
  TOPIC_PREFIX: z.string().regex(/^[a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash, underscore').default(''),
  KURRENTDB_CONNECTION_STRING: z.string().optional(),
});
export type CoordinationConfig = z.infer<typeof coordinationConfigSchema>;

export function loadCoordinationConfig(env: NodeJS.ProcessEnv = process.env): CoordinationConfig {
  return loadConfig(coordinationConfigSchema, env);
}
