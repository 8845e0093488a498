import { CurrentPrincipal, Roles, badRequest, forbidden, validationError, type Principal } from '@lib/platform';
import { Controller, Get, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PassThrough } from 'node:stream';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { CREDIT_LINES_TABLE } from '../projections/credit-lines.projection';
import { CREDIT_VIEW_FIELDS, CreditFilter, creditPage, decodeCursor } from './credit-queries';
import { csvLine } from './csv';
import { scorecardsFrom } from './scorecards';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
const id = z.string().min(1).max(64);
const subsidiary = z.enum(['life', 'pnc', 'group']);

const CreditsQuery = z.strictObject({
  agent: id.optional(), team: id.optional(), branch: id.optional(), subsidiary: subsidiary.optional(), side: z.enum(['sales', 'product']).optional(),
  level: z.enum(['agent', 'team', 'branch', 'subsidiary', 'specialist']).optional(), periodFrom: month.optional(), periodTo: month.optional(),
  crossSaleOnly: z.enum(['true', 'false']).transform((v) => v === 'true').optional(), policyNo: id.optional(), productSubsidiary: subsidiary.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100), cursor: z.string().max(400).optional(), format: z.enum(['json', 'csv']).optional(),
});

const ScorecardsQuery = z.strictObject({
  level: z.enum(['agent', 'team', 'branch', 'subsidiary']).default('agent'), period: z.enum(['month', 'quarter', 'year']).default('month'),
  from: month.optional(), to: month.optional(), subsidiary: subsidiary.optional(), beneficiaryId: id.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

const READERS = ['subsidiary:life', 'subsidiary:pnc', 'subsidiary:group', 'coordinator', 'auditor', 'admin'] as const;
const CSV_BATCH = 1000;

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** A subsidiary principal reads its own subsidiary's lines only; group roles read everything. */
function scopedSubsidiary(principal: Principal, asked: string | undefined): string | undefined {
  if (principal.roles.some((r) => r === 'coordinator' || r === 'auditor' || r === 'admin')) return asked;
  if (!principal.subsidiary) throw forbidden('This principal speaks for no subsidiary.');
  if (asked && asked !== principal.subsidiary) throw forbidden(`This principal may not read subsidiary ${asked}'s credits.`);
  return principal.subsidiary;
}

@ApiTags('kpi')
@Controller('v1/kpi')
export class KpiController {
  private readonly logger = new Logger(KpiController.name);

  constructor(private readonly dataSource: DataSource) {}

  @Get('credits')
  @Roles(...READERS)
  @ApiProduces('application/json', 'text/csv')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'], description: 'or send Accept: text/csv' })
  @ApiOperation({ summary: 'Credit lines (filters: agent, team, branch, subsidiary, side, level, periodFrom/To, crossSaleOnly, policyNo), paged or as CSV' })
  async credits(@Query() query: unknown, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { limit, cursor, format, ...filter } = parse(CreditsQuery, query);
    const scoped: CreditFilter = { ...filter, subsidiary: scopedSubsidiary(principal, filter.subsidiary) };
    const after = cursor ? decodeCursor(cursor) : null;
    if (cursor && !after) throw badRequest('INVALID_CURSOR', 'cursor is not one this API returned', [{ field: 'cursor', message: 'invalid' }]);
    const csv = format === 'csv' || (format === undefined && (req.headers.accept ?? '').includes('text/csv'));
    if (!csv) return void reply.send(await creditPage(this.dataSource.manager, scoped, limit, after));
    await this.streamCsv(reply, scoped);
  }

  @Get('scorecards')
  @Roles(...READERS)
  @ApiOperation({ summary: 'KPI scorecards per agent, team, branch or subsidiary and month, quarter or year' })
  async scorecards(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parse(ScorecardsQuery, query);
    const [{ referrals }] = await this.dataSource.query(`SELECT to_regclass('coordination.referral_view') IS NOT NULL AS referrals`);
    const items = await scorecardsFrom(this.dataSource.manager, CREDIT_LINES_TABLE, {
      ...q, subsidiary: scopedSubsidiary(principal, q.subsidiary), referralTable: referrals ? 'coordination.referral_view' : null,
    });
    return { level: q.level, period: q.period, items };
  }

  /**
   * The whole selection, written batch by batch in ledger order (one REPEATABLE READ
   * snapshot). A failure before the first batch is answered as problem+json; after it, the
   * response is aborted, never left looking complete.
   */
  private async streamCsv(reply: FastifyReply, filter: CreditFilter): Promise<void> {
    const out = new PassThrough();
    let started = false;
    try {
      await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
        let after: [string, number] | null = null;
        do {
          const page = await creditPage(manager, filter, CSV_BATCH, after);
          if (!started) {
            started = true;
            reply.status(200).type('text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="credit-lines.csv"').send(out);
            out.write(csvLine(CREDIT_VIEW_FIELDS));
          }
          for (const item of page.items) out.write(csvLine(CREDIT_VIEW_FIELDS.map((f) => item[f])));
          after = page.nextCursor ? decodeCursor(page.nextCursor) : null;
        } while (after);
      });
      out.end();
    } catch (error) {
      if (!started) throw error;
      if (reply.raw.headersSent) this.logger.error({ err: error }, 'credit CSV export failed mid-stream; aborting the response');
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
