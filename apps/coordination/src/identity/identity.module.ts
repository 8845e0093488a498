import { APP_CONFIG } from '@lib/platform';
import { Global, Module } from '@nestjs/common';
import { PARTY_RESOLVER } from '../infrastructure/tokens';
import { IdentityAdminService } from './commands/identity-admin.service';
import { ClientViewReader } from './http/client-view.reader';
import { ClientsController } from './http/clients.controller';
import { IdentityAdminController } from './http/identity-admin.controller';
import { IDENTITY_SETTINGS, identitySettingsFrom } from './identity.config';
import { IdentityInboundHandler } from './inbound/identity.handler';
import { PartyDirectory } from './persistence/party-directory';
import { ClientViewProjection } from './projections/client-view.projection';

/**
 * Parties, identity resolution, merges and the 360° view. The app plugs
 * IdentityInboundHandler (first in order) and ClientViewProjection into the core, and
 * runs identityMigrations. Global, so any feature's handler can inject PartyDirectory or
 * PARTY_RESOLVER without importing this module (portfolio and conflicts do).
 */
@Global()
@Module({
  controllers: [ClientsController, IdentityAdminController],
  providers: [
    {
      provide: IDENTITY_SETTINGS,
      // The app's validated config when it carries the variables, else the environment (validated the same way).
      useFactory: (config?: Record<string, unknown>) => identitySettingsFrom(config, process.env),
      inject: [{ token: APP_CONFIG, optional: true }],
    },
    PartyDirectory,
    { provide: PARTY_RESOLVER, useExisting: PartyDirectory },
    IdentityInboundHandler,
    ClientViewProjection,
    IdentityAdminService,
    ClientViewReader,
  ],
  exports: [PartyDirectory, PARTY_RESOLVER, IdentityInboundHandler, ClientViewProjection, IDENTITY_SETTINGS],
})
export class IdentityModule {}
