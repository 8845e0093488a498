import { baseConfigSchema, loadConfig, portSchema } from '@lib/platform';
import { z } from 'zod';

export const coordinationConfigSchema = baseConfigSchema.extend({
  PORT: portSchema.default(3000),
  KAFKA_GROUP_ID: z.string().default('coordination'),
});
export type CoordinationConfig = z.infer<typeof coordinationConfigSchema>;

export function loadCoordinationConfig(env: NodeJS.ProcessEnv = process.env): CoordinationConfig {
  return loadConfig(coordinationConfigSchema, env);
}
