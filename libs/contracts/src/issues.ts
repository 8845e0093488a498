/**
 * Validation failures as { path, code, message } with the full field path
 * ("payload.premium.amount"), the form the REST 400 body, the DLQ headers and the
 * logs all share. Unknown fields become one issue per field, named.
 */
import { z } from 'zod';

export interface ContractIssue {
  /** Dotted path, array indices in brackets: "payload.beneficiaries[0].sharePct"; "" = the whole value. */
  path: string;
  /** zod's issue code, or "unrecognized_key" for an unknown field. */
  code: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ContractIssue[] };

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** "Required" instead of zod's "expected string, received undefined". */
const errorMap: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;

export function toContractIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): ContractIssue[] {
  return error.issues.flatMap((issue): ContractIssue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...path, key]),
        code: 'unrecognized_key',
        message: 'is not a known field (unknown fields are rejected)',
      }));
    }
    return [{ path: formatPath(path), code: issue.code, message: issue.message }];
  });
}

/** safeParse with field-path issues; `prefix` roots the paths (e.g. ['payload']). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix: readonly PropertyKey[] = []): Validated<z.infer<S>> {
  const result = schema.safeParse(value, { error: errorMap });
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: toContractIssues(result.error, prefix) };
}

/** One line for logs and problem+json `detail`: "payload.premium.amount: must be ...; type: ...". */
export function formatIssues(issues: readonly ContractIssue[]): string {
  return issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
}
