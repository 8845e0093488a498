export { IdentityModule } from './identity.module';
export { identityMigrations } from './migrations';
export { identityConfigShape, identityConfigSchema, IDENTITY_SETTINGS, type IdentitySettings } from './identity.config';
export { PartyDirectory } from './persistence/party-directory';
export { IdentityInboundHandler } from './inbound/identity.handler';
export { ClientViewProjection } from './projections/client-view.projection';
export { accessStreamId } from './http/client-view.reader';
export { relationshipStreamId, type RelationshipRecordedData } from './inbound/relationship.events';
