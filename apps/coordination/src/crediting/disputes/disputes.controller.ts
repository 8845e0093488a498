import { CurrentPrincipal, Roles, validationError, type Principal } from '@lib/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { mapCreditingErrors } from '../crediting.errors';
import { DisputeService } from './dispute.service';

const FileDisputeSchema = z.strictObject({ lineId: z.string().min(1).max(400), reason: z.string().min(1).max(2000) });
const ResolutionSchema = z.strictObject({
  outcome: z.enum(['uphold', 'reject']),
  standardPremiumDelta: z.string().regex(/^-?\d{1,15}(\.\d{1,2})?$/, 'a signed amount with at most 2 decimals').optional(),
  reason: z.string().min(1).max(2000),
});
const ListSchema = z.object({
  status: z.enum(['open', 'upheld', 'rejected']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

type WithCorrelation = { correlationId?: string };

@ApiTags('kpi: disputes')
@Controller('v1')
export class DisputesController {
  constructor(private readonly disputes: DisputeService) {}

  @Post('kpi/disputes')
  @HttpCode(201)
  @Roles('subsidiary:life', 'subsidiary:pnc', 'subsidiary:group', 'coordinator')
  @ApiOperation({ summary: "Contest a credit line (the credited side's subsidiary, or a coordinator)" })
  file(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() req: WithCorrelation) {
    const { lineId, reason } = parse(FileDisputeSchema, body);
    return mapCreditingErrors(() => this.disputes.file(lineId, reason, principal, req.correlationId));
  }

  @Get('kpi/disputes')
  @Roles('subsidiary:life', 'subsidiary:pnc', 'subsidiary:group', 'coordinator', 'auditor', 'admin')
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'upheld', 'rejected'] })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOperation({ summary: 'Credit disputes, newest first (a subsidiary sees its own)' })
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const { status, limit } = parse(ListSchema, query);
    return { items: await this.disputes.list(principal, status, limit) };
  }

  @Post('admin/disputes/:id/resolution')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Uphold (with a standard-premium adjustment) or reject a dispute' })
  resolve(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() req: WithCorrelation) {
    const resolution = parse(ResolutionSchema, body);
    return mapCreditingErrors(() => this.disputes.resolve(id, resolution, principal, req.correlationId));
  }
}
