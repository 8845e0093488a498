import { validationError } from '@lib/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { AsOfParams, AsOfReader } from '../../audit/as-of/as-of.types';
import { CREDIT_LINES_TABLE } from '../projections/credit-lines.projection';
import { ScorecardRow, scorecardsFrom } from './scorecards';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
const Params = z.object({
  level: z.enum(['agent', 'team', 'branch', 'subsidiary']).default('agent'),
  period: z.enum(['month', 'quarter', 'year']).default('month'),
  from: month.optional(), to: month.optional(), subsidiary: z.enum(['life', 'pnc', 'group']).optional(), beneficiaryId: z.string().min(1).max(64).optional(),
});

/**
 * GET /v1/audit/kpi?asOf=…: the scorecards as they stood at an instant, by the live scorecard SQL
 * over the credit-lines projection replayed up to then. Referral conversion is not replayed
 * (another feature's read model), so its rates are null here.
 */
@Injectable()
export class KpiAsOfReader implements AsOfReader<{ level: string; period: string; items: ScorecardRow[] }> {
  readonly name = 'kpi';
  readonly projection = 'credit-lines';

  async read(manager: EntityManager, tableOf: (live: string) => string, params: AsOfParams) {
    const parsed = Params.safeParse(params);
    if (!parsed.success) throw validationError(parsed.error);
    const items = await scorecardsFrom(manager, tableOf(CREDIT_LINES_TABLE), { ...parsed.data, referralTable: null, limit: 10_000 });
    return { level: parsed.data.level, period: parsed.data.period, items };
  }
}
