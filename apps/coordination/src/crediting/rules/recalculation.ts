import { COORDINATION_EVENT_NAMESPACE, deterministicEventId } from '@lib/contracts';
import type { EventMetadata } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CREDITING_SETTINGS, type CreditingSettings } from '../crediting.settings';
import { CreditRuleSet, isAffectedBy } from '../domain';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { involvedAgents } from '../ledger/involved-agents';
import { CreditLedger } from '../ledger/ledger.runner';
import { RuleCatalogue } from './rule-catalogue';

export interface RecalculationJob {
  recalculationId: string;
  ruleSetVersion: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  total: number;
  processed: number;
  status: 'running' | 'done';
  cursorSubsidiary: string | null;
  cursorPolicyNo: string | null;
  requestedBy: string;
  correlationId: string;
}

export interface RecalculationSummary {
  recalculationId: string;
  affectedPolicies: number;
  /** inline: re-priced in the publishing transaction; background: a job re-prices them in batches. */
  mode: 'inline' | 'background';
  status: 'running' | 'done';
}

const JOB_COLUMNS = `recalculation_id AS "recalculationId", rule_set_version AS "ruleSetVersion",
  to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom", to_char(effective_to, 'YYYY-MM-DD') AS "effectiveTo", total, processed, status,
  cursor_subsidiary AS "cursorSubsidiary", cursor_policy_no AS "cursorPolicyNo", requested_by AS "requestedBy", correlation_id AS "correlationId"`;

/** Ledgers with history inside [from, to): the only ones a rule set for that period can re-price. */
const AFFECTED = `FROM coordination.credit_ledgers WHERE last_date >= $1 AND ($2::date IS NULL OR first_date < $2::date)`;

/**
 * Retroactive re-pricing after a publication: RecalculateCredits to every affected policy ledger.
 * Up to the inline limit it happens in the publishing transaction (all or nothing); beyond it a
 * durable job (coordination.credit_recalculation_jobs) with a cursor re-prices bounded batches,
 * one transaction each. New credits meanwhile already use the new rules; a ledger not reached
 * yet keeps its old lines until its batch runs (the job's status says how far it got).
 */
@Injectable()
export class RecalculationService {
  constructor(
    @Inject(CREDITING_SETTINGS) private readonly settings: CreditingSettings,
    private readonly ledger: CreditLedger,
    private readonly rules: RuleCatalogue,
    private readonly hierarchy: HierarchyLoader,
  ) {}

  async start(manager: EntityManager, ruleSet: CreditRuleSet, metadata: EventMetadata): Promise<RecalculationSummary> {
    const recalculationId = `rules-${ruleSet.version}`;
    const [{ n }] = await manager.query(`SELECT count(*)::int AS n ${AFFECTED}`, [ruleSet.effectiveFrom, ruleSet.effectiveTo]);
    await manager.query(
      `INSERT INTO coordination.credit_recalculation_jobs (recalculation_id, rule_set_version, effective_from, effective_to, total, requested_by, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [recalculationId, ruleSet.version, ruleSet.effectiveFrom, ruleSet.effectiveTo, n, metadata.actor ?? 'unknown', metadata.correlationId ?? recalculationId],
    );
    const inline = n <= this.settings.recalculationInlineLimit;
    const job = (await this.job(manager, recalculationId))!;
    const status = inline ? await this.runBatch(manager, job, n + 1) : 'running';
    return { recalculationId, affectedPolicies: n, mode: inline ? 'inline' : 'background', status };
  }

  async job(manager: EntityManager, recalculationId: string): Promise<RecalculationJob | undefined> {
    const rows: RecalculationJob[] = await manager.query(`SELECT ${JOB_COLUMNS} FROM coordination.credit_recalculation_jobs WHERE recalculation_id = $1`, [recalculationId]);
    return rows[0];
  }

  /** The oldest unfinished job, locked so a second runner skips it. */
  async nextJob(manager: EntityManager): Promise<RecalculationJob | undefined> {
    const rows: RecalculationJob[] = await manager.query(
      `SELECT ${JOB_COLUMNS} FROM coordination.credit_recalculation_jobs WHERE status = 'running' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return rows[0];
  }

  /** Re-prices the next `limit` affected ledgers after the job's cursor; answers the job's status afterwards. */
  async runBatch(manager: EntityManager, job: RecalculationJob, limit: number): Promise<'running' | 'done'> {
    const batch: Array<{ subsidiary: string; policy_no: string }> = await manager.query(
      `SELECT subsidiary, policy_no ${AFFECTED} AND (subsidiary, policy_no) > ($3, $4) ORDER BY subsidiary, policy_no LIMIT $5`,
      [job.effectiveFrom, job.effectiveTo, job.cursorSubsidiary ?? '', job.cursorPolicyNo ?? '', limit],
    );
    const timeline = await this.rules.timelineFor(manager);
    // Only the period matters to isAffectedBy; the full set is in the credit-rules stream.
    const period = { effectiveFrom: job.effectiveFrom, effectiveTo: job.effectiveTo } as CreditRuleSet;
    const metadata: EventMetadata = { actor: job.requestedBy, correlationId: job.correlationId, causationId: null, source: { kind: 'recalculation', recalculationId: job.recalculationId } };
    for (const { subsidiary, policy_no: policyNo } of batch) {
      await this.ledger.run(manager, subsidiary, policyNo, async (state) => {
        if (!isAffectedBy(state, period)) return null;
        const hierarchy = await this.hierarchy.load(manager, involvedAgents(state));
        return { command: { type: 'RecalculateCredits', data: { recalculationId: job.recalculationId, ruleSetVersion: job.ruleSetVersion, context: { timeline, hierarchy } } }, hierarchy };
      }, { metadata, eventId: (e, i) => deterministicEventId(COORDINATION_EVENT_NAMESPACE, job.recalculationId, subsidiary, policyNo, e.type, String(i)) });
    }
    const last = batch[batch.length - 1];
    const status = batch.length < limit ? 'done' : 'running';
    await manager.query(
      `UPDATE coordination.credit_recalculation_jobs SET processed = processed + $2, status = $3, cursor_subsidiary = COALESCE($4, cursor_subsidiary),
         cursor_policy_no = COALESCE($5, cursor_policy_no), finished_at = CASE WHEN $3 = 'done' THEN now() END WHERE recalculation_id = $1`,
      [job.recalculationId, batch.length, status, last?.subsidiary ?? null, last?.policy_no ?? null],
    );
    return status;
  }
}
