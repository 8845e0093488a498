import { CurrentPrincipal, type Principal, Roles } from '@lib/platform/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IdentityAdminService } from '../commands/identity-admin.service';
import { MergeBodySchema, parseOr400, PartyIdSchema, ReviewDecisionBodySchema, ReviewIdSchema, ReviewListQuerySchema, UnmergeBodySchema } from './identity.schemas';
import { actorOf, RequestWithCorrelation } from './viewer';

const reasonBody = (extra: Record<string, unknown>) => ({
  schema: { type: 'object', required: ['reason', ...Object.keys(extra).filter((k) => k !== 'evidence')], properties: { reason: { type: 'string' }, ...extra } },
});

/** Manual identity repair by the coordination team; each command is recorded with the acting user. */
@ApiTags('admin: parties')
@ApiSecurity('apiKey')
@Controller('v1/admin')
@Roles('coordinator', 'admin')
export class IdentityAdminController {
  constructor(private readonly admin: IdentityAdminService) {}

  @Post('parties/:id/merge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge a party into this one', description: 'Both party streams change in one transaction; every view of either party follows.' })
  @ApiParam({ name: 'id', description: 'the surviving party', format: 'uuid' })
  @ApiBody(reasonBody({ absorbedPartyId: { type: 'string', format: 'uuid' }, evidence: { type: 'array', items: { type: 'object' } } }))
  merge(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @Req() req: RequestWithCorrelation) {
    const survivorId = parseOr400(PartyIdSchema, id, 'id');
    const b = parseOr400(MergeBodySchema, body, 'body');
    return this.admin.merge(survivorId, b.absorbedPartyId, { reason: b.reason, evidence: b.evidence ?? [] }, actorOf(p, req));
  }

  @Post('parties/:id/unmerge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Undo a merge', description: 'Gives the absorbed party back exactly the links the merge brought.' })
  @ApiParam({ name: 'id', description: 'the surviving party', format: 'uuid' })
  @ApiBody(reasonBody({ absorbedPartyId: { type: 'string', format: 'uuid' } }))
  unmerge(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @Req() req: RequestWithCorrelation) {
    const survivorId = parseOr400(PartyIdSchema, id, 'id');
    const b = parseOr400(UnmergeBodySchema, body, 'body');
    return this.admin.unmerge(survivorId, b.absorbedPartyId, b.reason, actorOf(p, req));
  }

  @Get('match-reviews')
  @ApiOperation({ summary: 'Probable matches waiting for a decision' })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'approved', 'rejected'] })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  listReviews(@Query() query: unknown) {
    const q = parseOr400(ReviewListQuerySchema, query, 'query');
    return this.admin.listReviews(q.status ?? null, q.limit);
  }

  @Post('match-reviews/:id/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve (merge) or reject a probable match' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiBody({ schema: { type: 'object', required: ['decision', 'reason'], properties: { decision: { enum: ['approve', 'reject'] }, reason: { type: 'string' } } } })
  decide(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @Req() req: RequestWithCorrelation) {
    const reviewId = parseOr400(ReviewIdSchema, id, 'id');
    const b = parseOr400(ReviewDecisionBodySchema, body, 'body');
    return this.admin.decideReview(reviewId, b.decision, b.reason, actorOf(p, req));
  }
}
