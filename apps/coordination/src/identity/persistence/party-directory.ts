import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { clientKey, MissingFactError } from '../../infrastructure/inbound/inbound.types';
import type { PartyResolver } from '../../infrastructure/tokens';
import { followRedirects, linkedSurvivor } from './identity.store';

/**
 * The group party behind a subsidiary's client id, for every feature. Reads the inline
 * link table in the caller's transaction, so a handler running after identity for the
 * same event already sees the party identity just created.
 */
@Injectable()
export class PartyDirectory implements PartyResolver {
  /** The surviving party (merges followed), or null when the client is not registered yet. */
  async partyIdOf(manager: EntityManager, subsidiary: string, localId: string): Promise<string | null> {
    return linkedSurvivor(manager, { subsidiary, localId });
  }

  /** As partyIdOf, but parks the inbound event until the client's registration arrives. */
  async requirePartyId(manager: EntityManager, subsidiary: string, localId: string): Promise<string> {
    const partyId = await this.partyIdOf(manager, subsidiary, localId);
    if (!partyId) throw new MissingFactError(clientKey(subsidiary, localId), `client ${subsidiary}/${localId} is not registered yet`);
    return partyId;
  }

  /** Where a possibly merged party id lives on now. */
  survivorOf(manager: EntityManager, partyId: string): Promise<string> {
    return followRedirects(manager, partyId);
  }
}
