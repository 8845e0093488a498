import { CurrentPrincipal, Roles, type Principal } from '@lib/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyId, CreateApiKeyBody, parse } from '../admin.schemas';
import { ApiKeysAdminService } from '../api-keys.service';
import { actorOf, type CorrelatedRequest } from './actor';

/** Keys of the systems and tools that call this service. Admins only: a key is power over every route its role opens. */
@ApiTags('admin: api keys')
@ApiSecurity('apiKey')
@Controller('v1/admin/api-keys')
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysAdminService) {}

  @Get()
  @ApiOperation({ summary: 'Every key (never the secret): role, subsidiary, who created and revoked it, when last used' })
  async list() {
    return { keys: await this.keys.list() };
  }

  @Post()
  @ApiOperation({ summary: 'Create a key; the full key is in this answer only. Recorded as ApiKeyCreated (without the key).' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name', 'role'],
      properties: { name: { type: 'string' }, role: { type: 'string', example: 'subsidiary:life' }, subsidiary: { type: 'string', nullable: true } },
    },
  })
  create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() req: CorrelatedRequest) {
    return this.keys.create(parse(CreateApiKeyBody, body, 'body'), actorOf(principal, req));
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key (idempotent). Recorded as ApiKeyRevoked. Other instances stop accepting it within the key cache TTL.' })
  revoke(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Req() req: CorrelatedRequest) {
    return this.keys.revoke(parse(ApiKeyId, id, 'path'), actorOf(principal, req));
  }
}
