import type { EventStore } from '@lib/event-store';
import { CurrentPrincipal, Roles, type Principal } from '@lib/platform';
import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { checkpointOf } from '../../infrastructure/projections/projection.types';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { AuditAccessInterceptor } from '../access/audit-access.interceptor';
import { ProjectionCatalog } from '../projection-catalog';
import { RebuildService } from '../rebuild/rebuild.service';
import { parse, ProjectionName, RebuildQuery } from './audit.schemas';

/**
 * Rebuilding read models from the event store alone. Auditors compare over GET (session
 * temporary tables only, see RebuildService.compare); writing `<table>_rebuild` and
 * swapping it in is an admin command, recorded as an admin action.
 */
@ApiTags('audit')
@ApiSecurity('apiKey')
@Controller('v1/audit/projections')
@Roles('auditor', 'admin')
@UseInterceptors(AuditAccessInterceptor)
export class AuditProjectionsController {
  constructor(
    private readonly catalog: ProjectionCatalog,
    private readonly rebuilds: RebuildService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The read models kept from the event store, their tables and checkpoints' })
  async list() {
    const projections = this.catalog.all();
    return {
      projections: await Promise.all(
        projections.map(async (p) => ({ name: p.name, tables: p.tables.map((t) => t.name), checkpoint: await this.store.getCheckpoint(checkpointOf(p)) })),
      ),
    };
  }

  @Get(':name/comparison')
  @ApiOperation({ summary: 'Rebuild in private temporary tables and compare with the live read model at the same position (writes nothing)' })
  compare(@Param('name') name: string) {
    return this.rebuilds.compare(parse(ProjectionName, name, 'path'));
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Rebuild into <table>_rebuild shadow tables, compare with live at the same position, and swap them in when swap=true' })
  @ApiQuery({ name: 'swap', required: false, enum: ['true', 'false'] })
  rebuild(@Param('name') name: string, @Query() query: unknown, @CurrentPrincipal() principal: Principal, @Req() req: FastifyRequest) {
    const { swap } = parse(RebuildQuery, query, 'query');
    return this.rebuilds.rebuild(parse(ProjectionName, name, 'path'), { swap, actor: { id: principal.id, correlationId: req.correlationId } });
  }
}
