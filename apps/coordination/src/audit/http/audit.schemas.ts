import { isPosition } from '@lib/event-store';
import { validationError } from '@lib/platform';
import { z } from 'zod';

/** Parses a request part or throws the platform's 400 with field paths under `where`. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'query' | 'path' | 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, [where]);
  return result.data;
}

const position = z.string().refine(isPosition, 'must be a position as returned in nextPosition (e.g. 00000000000000000742-00000000000000000015)');
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a zone, e.g. 2026-03-01T00:00:00Z' }).transform((s) => new Date(s));
/** `types=a,b` or `types=a&types=b`. */
const list = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().max(100)).min(1).max(50));

export const StreamParams = z.string().min(1).max(500);
export const StreamQuery = z.strictObject({
  from: z.string().regex(/^\d{1,18}$/, 'must be a stream revision (0, 1, 2, ...)').transform((s) => BigInt(s)).default(0n),
  maxCount: z.coerce.number().int().min(1).max(1000).default(100),
});

const logFilter = {
  fromPosition: position.optional(),
  types: list.optional(),
  streamPrefix: z.string().min(1).max(200).optional(),
  from: instant.optional(),
  to: instant.optional(),
  correlationId: z.string().min(1).max(128).optional(),
};
export const EventsQuery = z.strictObject({ ...logFilter, maxCount: z.coerce.number().int().min(1).max(1000).default(100) });
export const ExportQuery = z.strictObject(logFilter);

export const AsOfClientQuery = z.strictObject({ asOf: instant });
/** The KPI reader defines its own parameters; the audit API only requires the instant. */
export const AsOfKpiQuery = z.looseObject({ asOf: instant }).transform(({ asOf, ...rest }) => ({
  asOf,
  params: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)])),
}));
export const PartyIdParam = z.string().min(1).max(64);

export const ProjectionName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a projection name');
export const RebuildQuery = z.strictObject({
  swap: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

export const IntegrityQuery = z.strictObject({ from: position.optional(), to: position.optional() });

export const AccessLogQuery = z.strictObject({
  partyId: z.string().min(1).max(64).optional(),
  principal: z.string().min(1).max(128).optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
