import { ROLES, SUBSIDIARIES } from '@lib/platform';
import { z } from 'zod';

export { parse } from '../audit/http/audit.schemas';

export const CreateApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  subsidiary: z.enum(SUBSIDIARIES).nullable().optional(),
});
export const ApiKeyId = z.string().regex(/^[0-9a-f]{16}$/, 'must be an API key id (16 hex digits)');

export const DeadLetterId = z.string().regex(/^\d{1,18}$/, 'must be a dead letter id');
export const DeadLetterListQuery = z.strictObject({
  status: z.enum(['open', 'retried', 'discarded']).optional(),
  topic: z.string().min(1).max(249).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  beforeId: z.string().regex(/^\d{1,18}$/).optional(),
});
export const DiscardBody = z.strictObject({ reason: z.string().trim().min(1).max(1000) });

export const ParkedQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) });
