import { Roles } from '@lib/platform';
import { Controller, Get, Param, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditAccessInterceptor } from '../access/audit-access.interceptor';
import { AuditHistoryService, NDJSON } from '../history/audit-history.service';
import { prefersNdjson } from './accept.util';
import { EventsQuery, ExportQuery, parse, StreamParams, StreamQuery } from './audit.schemas';

const LOG_FILTERS = [
  { name: 'fromPosition', description: 'exclusive cursor: nextPosition of the previous page' },
  { name: 'types', description: 'event types, comma-separated' },
  { name: 'streamPrefix', description: 'e.g. party- or credit-life-' },
  { name: 'from', description: 'recorded at or after (ISO-8601)' },
  { name: 'to', description: 'recorded before (ISO-8601)' },
  { name: 'correlationId', description: "metadata.correlationId: everything one request or message caused" },
];
const ApiLogFilters = () => (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
  for (const f of LOG_FILTERS) ApiQuery({ ...f, required: false })(target, key, descriptor);
};

/** The event history, read-only: every call is recorded as an AuditRead before it is served. */
@ApiTags('audit')
@ApiSecurity('apiKey')
@Controller('v1/audit')
@Roles('auditor', 'admin')
@UseInterceptors(AuditAccessInterceptor)
export class AuditHistoryController {
  constructor(private readonly history: AuditHistoryService) {}

  @Get('streams/:streamId')
  @ApiOperation({ summary: "A stream's full history, oldest first, paged by revision" })
  @ApiParam({ name: 'streamId', example: 'party-7f1c2d1e-0000-4000-8000-000000000001' })
  @ApiQuery({ name: 'from', required: false, description: 'first revision (default 0)' })
  @ApiQuery({ name: 'maxCount', required: false, description: '1..1000, default 100' })
  stream(@Param('streamId') streamId: string, @Query() query: unknown) {
    const { from, maxCount } = parse(StreamQuery, query, 'query');
    return this.history.stream(parse(StreamParams, streamId, 'path'), from, maxCount);
  }

  @Get('events')
  @ApiOperation({ summary: 'The global log in commit order, filtered; with Accept: application/x-ndjson the whole filtered log is streamed' })
  @ApiProduces('application/json', NDJSON)
  @ApiLogFilters()
  @ApiQuery({ name: 'maxCount', required: false, description: 'page size 1..1000, default 100 (JSON only)' })
  async events(@Query() query: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { maxCount, ...filter } = parse(EventsQuery, query, 'query');
    if (prefersNdjson(req.headers.accept)) return this.history.export({ ...filter, maxCount }, reply);
    reply.send(await this.history.page({ ...filter, maxCount }));
  }

  @Get('events/export')
  @ApiOperation({ summary: 'The filtered log streamed as NDJSON, one event per line, from the cursor to the present' })
  @ApiProduces(NDJSON)
  @ApiLogFilters()
  async export(@Query() query: unknown, @Res() reply: FastifyReply): Promise<void> {
    await this.history.export({ ...parse(ExportQuery, query, 'query'), maxCount: 1000 }, reply);
  }
}
