import { CurrentPrincipal, Roles, type Principal } from '@lib/platform/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ConflictAdminService } from '../admin/conflict-admin.service';
import { ConflictQueries } from '../admin/conflict-queries';
import { PrecedenceAdminService } from '../admin/precedence-admin.service';
import type { Actor } from '../admin/unit-of-work';
import type { ConflictState, CoordinatorDecision, Precedence } from '../domain';
import { asHttp } from './conflicts-http.errors';
import { ApiZodBody } from './openapi';
import {
  AssignmentBody, ConflictId, ConflictListQuery, DryRunBody, parse, PrecedenceBody, ResolutionBody, type ResolutionInput,
} from './http.schemas';

type CorrelatedRequest = FastifyRequest;
const actorOf = (principal: Principal, req: CorrelatedRequest): Actor => ({ id: principal.id, correlationId: req.correlationId });

function decisionOf(input: ResolutionInput): CoordinatorDecision {
  switch (input.mode) {
    case 'award':
      return { mode: 'award', claimant: input.winner };
    case 'split':
      return { mode: 'split', shares: input.shares };
    case 'reject':
      return { mode: 'reject' };
  }
}

/** The coordination team's conflict queue and the precedence that triages new conflicts. */
@ApiTags('admin: conflicts')
@ApiSecurity('apiKey')
@Controller('v1/admin')
@Roles('coordinator', 'auditor', 'admin')
export class ConflictsAdminController {
  constructor(
    private readonly queries: ConflictQueries,
    private readonly commands: ConflictAdminService,
    private readonly precedence: PrecedenceAdminService,
  ) {}

  @Get('conflicts')
  @ApiOperation({ summary: 'Conflicts, oldest first, with their age and SLA breach (CONFLICT_SLA_HOURS)' })
  @ApiQuery({ name: 'status', required: false, enum: ['detected', 'queued', 'auto-resolved', 'resolved', 'superseded'] })
  @ApiQuery({ name: 'kind', required: false })
  @ApiQuery({ name: 'assignee', required: false })
  @ApiQuery({ name: 'productLine', required: false })
  @ApiQuery({ name: 'slaBreached', required: false, enum: ['true', 'false'] })
  list(@Query() query: unknown) {
    return this.queries.list(parse(ConflictListQuery, query, 'query'));
  }

  @Get('conflicts/:conflictId')
  @ApiOperation({ summary: 'One conflict from its event stream, with the facts the rules saw' })
  @ApiParam({ name: 'conflictId', format: 'uuid' })
  get(@Param('conflictId') id: string) {
    return this.queries.get(parse(ConflictId, id, 'path'));
  }

  @Post('conflicts/:conflictId/assignment')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Assign a queued conflict to a coordinator' })
  @ApiZodBody(AssignmentBody)
  assign(@CurrentPrincipal() p: Principal, @Param('conflictId') id: string, @Body() body: unknown, @Req() req: CorrelatedRequest) {
    const conflictId = parse(ConflictId, id, 'path');
    const { assignee } = parse(AssignmentBody, body, 'body');
    return asHttp(async () => this.present(await this.commands.assign(conflictId, assignee, actorOf(p, req))));
  }

  @Post('conflicts/:conflictId/resolution')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Decide a queued conflict: award one claimant, split the credit, or reject all; the decision goes to crediting and to the subsidiaries' })
  @ApiZodBody(ResolutionBody)
  resolve(@CurrentPrincipal() p: Principal, @Param('conflictId') id: string, @Body() body: unknown, @Req() req: CorrelatedRequest) {
    const conflictId = parse(ConflictId, id, 'path');
    const input = parse(ResolutionBody, body, 'body');
    return asHttp(async () => this.present(await this.commands.resolve(conflictId, decisionOf(input), input.rationale, actorOf(p, req))));
  }

  @Get('conflict-precedence')
  @ApiOperation({ summary: 'The precedence that triages new conflicts (order of resolution rules, kinds always queued)' })
  currentPrecedence() {
    return this.precedence.current();
  }

  @Put('conflict-precedence')
  @Roles('coordinator', 'admin')
  @ApiZodBody(PrecedenceBody)
  @ApiOperation({ summary: 'Change the precedence (recorded as an event with its author; applies to conflicts detected afterwards)' })
  changePrecedence(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Req() req: CorrelatedRequest) {
    const next = parse(PrecedenceBody, body, 'body') as Precedence;
    return asHttp(() => this.precedence.change(next, actorOf(p, req)));
  }

  @Post('conflict-precedence/dry-run')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiZodBody(DryRunBody)
  @ApiOperation({ summary: 'Which past conflicts a precedence would have decided differently (nothing is changed)' })
  dryRun(@Body() body: unknown) {
    const { precedence } = parse(DryRunBody, body, 'body');
    return asHttp(() => this.precedence.dryRun(precedence as Precedence));
  }

  private present(state: ConflictState) {
    if (state.status === 'none') throw new Error('a command left the conflict without state');
    return this.queries.present(state);
  }
}
