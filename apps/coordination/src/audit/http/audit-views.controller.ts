import type { EventStore } from '@lib/event-store';
import { Roles } from '@lib/platform';
import { Controller, Get, Inject, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { readAccessLog } from '../access/access-log.query';
import { AuditAccessInterceptor } from '../access/audit-access.interceptor';
import { AsOfService } from '../as-of/as-of.service';
import { auditError, AuditErrorCode } from '../audit.errors';
import { AccessLogQuery, AsOfClientQuery, AsOfKpiQuery, IntegrityQuery, parse, PartyIdParam } from './audit.schemas';

/** Views as they stood at an instant, the hash-chain check, and who read what. */
@ApiTags('audit')
@ApiSecurity('apiKey')
@Controller('v1/audit')
@Roles('auditor', 'admin')
@UseInterceptors(AuditAccessInterceptor)
export class AuditViewsController {
  constructor(
    private readonly asOf: AsOfService,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('clients/:partyId')
  @ApiOperation({ summary: "A party's 360° view as it stood at asOf, recomputed from the events recorded before it" })
  @ApiQuery({ name: 'asOf', required: true, example: '2026-03-01T00:00:00Z' })
  client(@Param('partyId') partyId: string, @Query() query: unknown) {
    const { asOf } = parse(AsOfClientQuery, query, 'query');
    return this.asOf.read('client', asOf, { partyId: parse(PartyIdParam, partyId, 'path') });
  }

  @Get('kpi')
  @ApiOperation({ summary: 'KPI credit as it stood at asOf, from the credit history recorded before it; other parameters go to the KPI reader' })
  @ApiQuery({ name: 'asOf', required: true, example: '2026-03-01T00:00:00Z' })
  kpi(@Query() query: unknown) {
    const { asOf, params } = parse(AsOfKpiQuery, query, 'query');
    return this.asOf.read('kpi', asOf, params);
  }

  @Get('integrity')
  @ApiOperation({ summary: "Recomputes the event store's hash chain over the sealed events between two positions (inclusive)" })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  integrity(@Query() query: unknown) {
    const { from, to } = parse(IntegrityQuery, query, 'query');
    if (!this.store.verifyIntegrity) throw auditError(AuditErrorCode.IntegrityUnsupported, 'This event store cannot verify its integrity.');
    return this.store.verifyIntegrity(from, to);
  }

  @Get('access-log')
  @ApiOperation({ summary: "Who read which client's data when: 360° reads and audit reads, newest first" })
  @ApiQuery({ name: 'partyId', required: false })
  @ApiQuery({ name: 'principal', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async accessLog(@Query() query: unknown) {
    return { entries: await readAccessLog(this.dataSource.manager, parse(AccessLogQuery, query, 'query')) };
  }
}
