import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { IDENTITY_SETTINGS, type IdentitySettings } from '../identity.config';
import { PartyDirectory } from '../persistence/party-directory';
import { sourceRecordOf } from './client-record.mapping';
import { registerClient, ResolutionDeps, updateClient } from './client-resolution';
import { changeConsent, declareRelationship } from './consent-and-relationships';

/** Offsets differ between subsidiaries; the domain compares times as UTC ISO strings. */
const utc = (iso: string): string => new Date(iso).toISOString();

/**
 * Identity runs first for client events: it resolves the subsidiary's client to a group
 * party and leaves the party id in `ctx.shared` ('partyId') for the handlers after it.
 */
@Injectable()
export class IdentityInboundHandler implements InboundHandler {
  readonly name = 'identity.clients';
  readonly handles = ['ClientRegistered', 'ClientUpdated', 'ConsentChanged', 'RelationshipDeclared'] as const;
  private readonly deps: ResolutionDeps;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(IDENTITY_SETTINGS) settings: IdentitySettings,
    directory: PartyDirectory,
  ) {
    this.deps = { store, directory, thresholds: settings.thresholds };
  }

  async handle(ctx: InboundContext): Promise<void> {
    const { event } = ctx;
    switch (event.type) {
      case 'ClientRegistered':
        await registerClient(this.deps, ctx, sourceRecordOf(event.subsidiary, event.payload, utc(event.occurredAt)));
        return;
      case 'ClientUpdated':
        await updateClient(this.deps, ctx, sourceRecordOf(event.subsidiary, event.payload, utc(event.occurredAt)));
        return;
      case 'ConsentChanged':
        return changeConsent(this.deps, ctx, event.subsidiary, event.payload);
      case 'RelationshipDeclared':
        return declareRelationship(this.deps, ctx, event.subsidiary, event.payload);
      default:
        return;
    }
  }
}
