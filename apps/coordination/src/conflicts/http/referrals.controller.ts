import { CurrentPrincipal, forbidden, Roles, type Principal } from '@lib/platform/auth';
import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ReferralCommandsService, type ReferralChange } from '../admin/referral-commands.service';
import { ReferralQueries } from '../admin/referral-queries';
import { asHttp } from './conflicts-http.errors';
import { ApiZodBody } from './openapi';
import { AcceptanceBody, LossBody, parse, QuoteBody, ReferralListQuery, ReferralPipelineQuery } from './http.schemas';

const GROUP_ROLES = ['coordinator', 'auditor', 'admin'] as const;
const SUBSIDIARY_ROLES = ['subsidiary:life', 'subsidiary:pnc', 'subsidiary:group'] as const;
type CorrelatedRequest = FastifyRequest;

/** Group roles see every referral; a subsidiary sees those it is party to, as referrer or product side. */
function visibilityOf(principal: Principal): { visibleTo?: string } {
  if (principal.roles.some((r) => (GROUP_ROLES as readonly string[]).includes(r))) return {};
  if (!principal.subsidiary) throw forbidden('This principal is bound to no subsidiary.');
  return { visibleTo: principal.subsidiary };
}

const FilterQueries = () =>
  applyDecorators(...['partyId', 'productLine', 'productSubsidiary', 'referringSubsidiary', 'agentId'].map((name) => ApiQuery({ name, required: false })));

@ApiTags('referrals')
@ApiSecurity('apiKey')
@Controller('v1/referrals')
@Roles(...SUBSIDIARY_ROLES, ...GROUP_ROLES)
export class ReferralsController {
  constructor(
    private readonly queries: ReferralQueries,
    private readonly commands: ReferralCommandsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Referrals (lead registrations), newest first; a subsidiary sees only those it is party to' })
  @FilterQueries()
  @ApiQuery({ name: 'status', required: false, enum: ['registered', 'accepted', 'quoted', 'converted', 'lost', 'expired'] })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  list(@CurrentPrincipal() principal: Principal, @Query() query: unknown) {
    const { limit, offset, ...filter } = parse(ReferralListQuery, query, 'query');
    return this.queries.list({ ...filter, ...visibilityOf(principal) }, { limit, offset });
  }

  @Get('pipeline')
  @FilterQueries()
  @ApiOperation({ summary: 'Referral counts per stage with conversion rate (converted / all) and win rate (converted / closed)' })
  pipeline(@CurrentPrincipal() principal: Principal, @Query() query: unknown) {
    const filter = parse(ReferralPipelineQuery, query, 'query');
    return this.queries.pipeline({ ...filter, ...visibilityOf(principal) });
  }

  @Post(':referralId/acceptance')
  @HttpCode(200)
  @Roles(...SUBSIDIARY_ROLES)
  @ApiOperation({ summary: 'The product side accepts the lead' })
  @ApiParam({ name: 'referralId' })
  @ApiZodBody(AcceptanceBody)
  accept(@CurrentPrincipal() p: Principal, @Param('referralId') id: string, @Body() body: unknown, @Req() req: CorrelatedRequest) {
    return this.change(p, id, { kind: 'acceptance', ...parse(AcceptanceBody, body, 'body') }, req);
  }

  @Post(':referralId/quote')
  @HttpCode(200)
  @Roles(...SUBSIDIARY_ROLES)
  @ApiOperation({ summary: 'The product side quotes the referred client (re-quoting replaces the price)' })
  @ApiZodBody(QuoteBody)
  quote(@CurrentPrincipal() p: Principal, @Param('referralId') id: string, @Body() body: unknown, @Req() req: CorrelatedRequest) {
    return this.change(p, id, { kind: 'quote', ...parse(QuoteBody, body, 'body') }, req);
  }

  @Post(':referralId/loss')
  @HttpCode(200)
  @Roles(...SUBSIDIARY_ROLES)
  @ApiOperation({ summary: 'The product side records that the lead was lost, with a reason' })
  @ApiZodBody(LossBody)
  loss(@CurrentPrincipal() p: Principal, @Param('referralId') id: string, @Body() body: unknown, @Req() req: CorrelatedRequest) {
    return this.change(p, id, { kind: 'loss', ...parse(LossBody, body, 'body') }, req);
  }

  private change(principal: Principal, referralId: string, change: ReferralChange, req: CorrelatedRequest) {
    return asHttp(() => this.commands.change(referralId, change, principal, req.correlationId));
  }
}
