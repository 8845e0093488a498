import { identityHash, type IdentityType } from '@lib/contracts';
import { GroupAppender, type EventStore } from '@lib/event-store';
import type { Principal } from '@lib/platform/auth';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, EVENT_STORE } from '../../infrastructure/tokens';
import { ClientView, redactClientView, ViewerRole } from '../domain';
import { IDENTITY_SETTINGS, type IdentitySettings } from '../identity.config';
import { identityKeyOwner } from '../persistence/identity.store';
import { clientNotFound, partyNotFound } from './identity-http.errors';
import { ClientViewLoader } from './open-items';

export interface Viewer {
  principal: Principal;
  correlationId: string;
}

export type ReadVia = 'party-id' | 'local-id' | 'identity';

/** Access events: who read which 360° view, as whom, when, in which request. */
export const accessStreamId = (partyId: string): string => `party-access-${partyId}`;

const PRIVILEGED: ReadonlyArray<ViewerRole> = ['admin', 'coordinator', 'auditor'];

/** The role the view is redacted for: a group-level role if held, else the caller's subsidiary. */
export function viewerRoleOf(principal: Principal): ViewerRole | null {
  const privileged = PRIVILEGED.find((r) => (principal.roles as string[]).includes(r));
  if (privileged) return privileged;
  const own = principal.roles.find((r) => r.startsWith('subsidiary:'));
  return (own as ViewerRole | undefined) ?? null;
}

/**
 * Serves 360° views: redacted for the caller, every read recorded before the view leaves.
 * Concurrent reads' access events commit together (one transaction per group, see
 * GroupAppender); each read still waits for its own event's commit before it answers.
 */
@Injectable()
export class ClientViewReader {
  private readonly accessLog: GroupAppender;
  private readonly views: ClientViewLoader;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {
    this.accessLog = new GroupAppender(store);
    this.views = new ClientViewLoader(dataSource);
  }

  async byPartyId(partyId: string, viewer: Viewer, via: ReadVia = 'party-id'): Promise<ClientView> {
    const found = await this.views.load(partyId);
    if (!found) throw partyNotFound(partyId);
    const role = viewerRoleOf(viewer.principal);
    if (!role) throw partyNotFound(partyId);
    const view = { ...found.view, openReferralIds: found.referralIds, openConflictIds: found.conflictIds };
    const served = redactClientView(view, role);
    await this.recordRead(partyId, role, viewer, via, served.redactedSubsidiaries);
    return served;
  }

  /** The projection's own look-up, so the party found always has a view at the same position. */
  async byLocalId(subsidiary: string, localId: string, viewer: Viewer): Promise<ClientView> {
    const rows: Array<{ party_id: string }> = await this.dataSource.query(
      'SELECT party_id FROM coordination.client_lookup WHERE subsidiary = $1 AND local_id = $2',
      [subsidiary, localId],
    );
    if (!rows[0]) throw clientNotFound();
    return this.byPartyId(rows[0].party_id, viewer, 'local-id');
  }

  /** Hashes with the subsidiaries' HMAC key; the clear number goes no further than this call. */
  async byIdentity(type: IdentityType, number: string, viewer: Viewer): Promise<ClientView> {
    const hash = identityHash(this.settings.hmacKey, type, number);
    const owner = await identityKeyOwner(this.dataSource.manager, [{ kind: 'id-hash', value: hash }]);
    if (!owner) throw clientNotFound();
    return this.byPartyId(owner, viewer, 'identity');
  }

  private async recordRead(partyId: string, role: ViewerRole, viewer: Viewer, via: ReadVia, redacted: string[]): Promise<void> {
    const at = this.clock.now().toISOString();
    const { principal, correlationId } = viewer;
    await this.accessLog.append(accessStreamId(partyId), [{
      eventId: randomUUID(),
      type: 'ClientViewRead',
      data: { partyId, viewer: principal.id, viewerName: principal.name, role, at, correlationId, via, redactedSubsidiaries: redacted },
      metadata: { actor: principal.id, correlationId, causationId: null, occurredAt: at },
    }]);
  }
}
