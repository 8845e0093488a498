import { CurrentPrincipal, Roles, type Principal } from '@lib/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DeadLetterId, DeadLetterListQuery, DiscardBody, parse } from '../admin.schemas';
import { DeadLettersAdminService } from '../dead-letters.service';
import { actorOf, type CorrelatedRequest } from './actor';

/** Messages the coordination service could not apply: look, retry after a fix, or discard with a reason. */
@ApiTags('admin: dead letters')
@ApiSecurity('apiKey')
@Controller('v1/admin/dead-letters')
@Roles('admin', 'coordinator')
export class DeadLettersController {
  constructor(private readonly letters: DeadLettersAdminService) {}

  @Get()
  @ApiOperation({ summary: 'Dead letters, newest first, without their message bodies' })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'retried', 'discarded'] })
  @ApiQuery({ name: 'topic', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'beforeId', required: false, description: 'keyset paging: the last id of the previous page' })
  async list(@Query() query: unknown) {
    return { deadLetters: await this.letters.list(parse(DeadLetterListQuery, query, 'query')) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One dead letter with its original message, headers and the reason it failed' })
  get(@Param('id') id: string) {
    return this.letters.get(parse(DeadLetterId, id, 'path'));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put the original message back on its topic (through the outbox); recorded as DeadLetterRetried' })
  retry(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Req() req: CorrelatedRequest) {
    return this.letters.retry(parse(DeadLetterId, id, 'path'), actorOf(principal, req));
  }

  @Post(':id/discard')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give up on the message for good, with a reason; recorded as DeadLetterDiscarded' })
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } } })
  discard(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() req: CorrelatedRequest) {
    const letterId = parse(DeadLetterId, id, 'path');
    return this.letters.discard(letterId, parse(DiscardBody, body, 'body').reason, actorOf(principal, req));
  }
}
