/** ConsentChanged and RelationshipDeclared: both need the client's party, and park until it exists. */
import type { ConsentChangedPayload, RelationshipDeclaredPayload } from '@lib/contracts';
import type { InboundContext } from '../../infrastructure/inbound/inbound.types';
import { linkKey, Subsidiary } from '../domain';
import { consentChangeOf, relationshipIdOf } from './client-record.mapping';
import type { ResolutionDeps } from './client-resolution';
import { loadParty, runPartyCommand } from './party-streams';
import { RelationshipEvent, relationshipStreamId } from './relationship.events';

type Deps = Pick<ResolutionDeps, 'store' | 'directory'>;

/**
 * Per-client events share a Kafka partition, so they normally arrive in order; a change
 * older than the link's last consent change is stale and ignored (the domain keeps one
 * timestamp per link, not per scope, so this is conservative across scopes).
 */
export async function changeConsent(deps: Deps, ctx: InboundContext, subsidiary: Subsidiary, payload: ConsentChangedPayload): Promise<void> {
  const partyId = await deps.directory.requirePartyId(ctx.manager, subsidiary, payload.localId);
  ctx.shared.set('partyId', partyId);
  const change = consentChangeOf(payload);
  if (!change) return;
  const state = await loadParty(deps.store, ctx, partyId);
  const current = state.status === 'active' ? state.links[linkKey({ subsidiary, localId: payload.localId })]?.consent ?? null : null;
  const at = new Date(payload.at).toISOString();
  if (current && at < current.changedAt) return;
  const next = { groupSharing: current?.groupSharing ?? false, marketing: current?.marketing ?? false, [change.field]: change.granted };
  await runPartyCommand(deps.store, ctx, partyId, {
    type: 'ChangeConsent',
    data: { partyId, subsidiary, localId: payload.localId, groupSharing: next.groupSharing, marketing: next.marketing, now: at },
  });
}

export async function declareRelationship(deps: Deps, ctx: InboundContext, subsidiary: Subsidiary, p: RelationshipDeclaredPayload): Promise<void> {
  const fromPartyId = await deps.directory.requirePartyId(ctx.manager, subsidiary, p.fromLocalId);
  const toPartyId = await deps.directory.requirePartyId(ctx.manager, subsidiary, p.toLocalId);
  const relationshipId = relationshipIdOf(subsidiary, p);
  const event: RelationshipEvent = {
    type: 'RelationshipRecorded',
    data: {
      relationshipId, subsidiary, type: p.kind, fromLocalId: p.fromLocalId, toLocalId: p.toLocalId, fromPartyId, toPartyId,
      since: p.since ?? null, until: p.until ?? null, role: p.role ?? null, declaredAt: ctx.event.occurredAt,
    },
  };
  await deps.store.append(
    relationshipStreamId(relationshipId),
    [{ eventId: ctx.eventId(event.type), type: event.type, data: event.data, metadata: ctx.metadata }],
    'any',
    { manager: ctx.manager },
  );
}
