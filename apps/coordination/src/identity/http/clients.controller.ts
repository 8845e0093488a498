import { assertSubsidiary, CurrentPrincipal, type Principal, Roles } from '@lib/platform/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { ClientView } from '../domain';
import { ClientViewReader } from './client-view.reader';
import { ClientLookupQuerySchema, IdentityLookupBodySchema, parseOr400, PartyIdSchema } from './identity.schemas';
import { RequestWithCorrelation, viewerOf } from './viewer';

const READERS = ['subsidiary:life', 'subsidiary:pnc', 'subsidiary:group', 'coordinator', 'auditor', 'admin'] as const;

/** The unified 360° client view, redacted by the caller's role and the client's consent. */
@ApiTags('clients')
@ApiSecurity('apiKey')
@Controller('v1/clients')
@Roles(...READERS)
export class ClientsController {
  constructor(private readonly reader: ClientViewReader) {}

  @Get()
  @ApiOperation({ summary: "Look a client up by a subsidiary's own client id", description: 'Subsidiary keys look up only their own ids. The read is recorded.' })
  @ApiQuery({ name: 'subsidiary', enum: ['life', 'pnc', 'group'] })
  @ApiQuery({ name: 'localId', example: 'LIFE-0000107' })
  @ApiOkResponse({ description: 'the 360° view' })
  lookup(@Query() query: unknown, @CurrentPrincipal() principal: Principal, @Req() req: RequestWithCorrelation): Promise<ClientView> {
    const { subsidiary, localId } = parseOr400(ClientLookupQuerySchema, query, 'query');
    // A subsidiary knows only its own client ids; asking for another's would probe its client list.
    assertSubsidiary(principal, subsidiary, { allowRoles: ['coordinator', 'auditor', 'admin'] });
    return this.reader.byLocalId(subsidiary, localId, viewerOf(principal, req));
  }

  @Post('lookup-by-identity')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Look a client up by identity document',
    description: 'POST so the number never appears in a URL or access log; it is hashed with the group HMAC key and discarded.',
  })
  @ApiBody({ schema: { type: 'object', required: ['type', 'number'], properties: { type: { type: 'string', example: 'RESIDENT_ID' }, number: { type: 'string' } } } })
  lookupByIdentity(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() req: RequestWithCorrelation): Promise<ClientView> {
    const { type, number } = parseOr400(IdentityLookupBodySchema, body, 'body');
    return this.reader.byIdentity(type, number, viewerOf(principal, req));
  }

  @Get(':partyId')
  @ApiOperation({ summary: 'The 360° view of a party', description: 'Every read is recorded as a ClientViewRead event in party-access-<partyId>.' })
  @ApiParam({ name: 'partyId', format: 'uuid' })
  byParty(@Param('partyId') partyId: string, @CurrentPrincipal() principal: Principal, @Req() req: RequestWithCorrelation): Promise<ClientView> {
    return this.reader.byPartyId(parseOr400(PartyIdSchema, partyId, 'partyId'), viewerOf(principal, req));
  }
}
