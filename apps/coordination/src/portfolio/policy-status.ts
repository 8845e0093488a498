/**
 * A policy's status changes by business date (coordination.policy_status_history), and whether it
 * was in force on a day: the same answer whatever order the subsidiary's reports arrived in.
 * Shared by the readers that judge a past moment (the as-of tier, orphan loads).
 */

/** A policy's status from a business date on, as its subsidiary reported it (cancelled, lapsed, or in force again when reinstated). */
export interface StatusChange {
  readonly effectiveDate: string;
  readonly status: 'in-force' | 'cancelled' | 'lapsed';
  /** When the subsidiary reported it: orders two changes dated the same day. */
  readonly reportedAt: string;
}

/** The policy's changes in business order, whatever order they were reported or arrived in. */
export const inBusinessOrder = (changes: readonly StatusChange[] = []): StatusChange[] =>
  [...changes].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate) || Date.parse(a.reportedAt) - Date.parse(b.reportedAt) || a.status.localeCompare(b.status));

/** Whether the last change by `day` (changes in business order) left the policy out of force; none: it never stopped. */
export function outOfForceOn(ordered: readonly StatusChange[], day: string): boolean {
  const last = ordered.filter((c) => c.effectiveDate <= day).pop();
  return last !== undefined && last.status !== 'in-force';
}

/** The JSON array of a policy's changes, for a query over coordination.policies aliased `p`. */
export const STATUS_CHANGES_SQL = `(SELECT COALESCE(json_agg(json_build_object('effectiveDate', h.effective_date::text, 'status', h.status,
     'reportedAt', to_char(h.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))), '[]')
   FROM coordination.policy_status_history h WHERE h.subsidiary = p.subsidiary AND h.policy_no = p.policy_no)`;
