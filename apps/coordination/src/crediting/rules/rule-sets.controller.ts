import { CurrentPrincipal, Roles, validationError, type Principal } from '@lib/platform';
import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { mapCreditingErrors } from '../crediting.errors';
import { RuleSetDraftSchema, type RuleSetDraft } from './rule-set.schema';
import { RuleSetsService } from './rule-sets.service';

type WithCorrelation = { correlationId?: string };

function parseDraft(body: unknown): RuleSetDraft {
  const parsed = RuleSetDraftSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

const DRAFT_DOC = {
  description: 'A credit rule set; only version and effectiveFrom are required, other fields default to the set in effect on effectiveFrom',
  schema: { type: 'object', required: ['version', 'effectiveFrom'], properties: { version: { type: 'string' }, effectiveFrom: { type: 'string', format: 'date' } } },
};

@ApiTags('admin: credit rules')
@Controller('v1/admin/credit-rules')
export class RuleSetsController {
  constructor(private readonly ruleSets: RuleSetsService) {}

  @Get()
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Published credit rule sets: the effective-dated timeline and the publication history' })
  list() {
    return this.ruleSets.list();
  }

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiBody(DRAFT_DOC)
  @ApiOperation({ summary: 'Publish a rule set (422 with issue paths when invalid); a retroactive set re-prices the affected ledgers' })
  publish(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() req: WithCorrelation) {
    const draft = parseDraft(body);
    return mapCreditingErrors(() => this.ruleSets.publish(draft, principal, req.correlationId));
  }

  @Post('shadow-run')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiBody(DRAFT_DOC)
  @ApiOperation({ summary: 'Evaluate a draft over the recorded book: per-agent and per-subsidiary differences; nothing is published' })
  shadowRun(@Body() body: unknown) {
    const draft = parseDraft(body);
    return mapCreditingErrors(() => this.ruleSets.shadowRun(draft));
  }
}
