import { Roles } from '@lib/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { listParked } from '../../infrastructure/inbound/inbound.store';
import { parse, ParkedQuery } from '../admin.schemas';

/** Events waiting for a prerequisite fact (a client, an agent, a policy); they replay when it arrives. */
@ApiTags('admin: dead letters')
@ApiSecurity('apiKey')
@Controller('v1/admin/parked-events')
@Roles('admin', 'coordinator')
export class ParkedEventsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Parked events, oldest first, with the fact each awaits' })
  @ApiQuery({ name: 'limit', required: false })
  async list(@Query() query: unknown) {
    const { limit } = parse(ParkedQuery, query, 'query');
    return { parkedEvents: await listParked(this.dataSource.manager, limit) };
  }
}
