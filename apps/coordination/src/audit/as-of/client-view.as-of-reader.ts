import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AsOfParams, AsOfReader } from './as-of.types';

export interface ClientViewAsOf {
  partyId: string;
  view: unknown;
  tier: string;
  updatedAt: Date;
  updatedPosition: string;
}

/**
 * The 360° view of one party as it stood at an instant, from identity's `client-view`
 * projection (table coordination.client_view, see identity's migrations). A party merged
 * away later still answers with its own view at that instant: that is what was true then.
 */
@Injectable()
export class ClientViewAsOfReader implements AsOfReader<ClientViewAsOf> {
  readonly name = 'client';
  readonly projection = 'client-view';

  async read(manager: EntityManager, tableOf: (live: string) => string, params: AsOfParams): Promise<ClientViewAsOf | null> {
    const rows = await manager.query<Array<{ party_id: string; view: unknown; tier: string; updated_at: Date; updated_position: string }>>(
      `SELECT party_id::text AS party_id, view, tier, updated_at, updated_position
         FROM ${tableOf('coordination.client_view')}
        WHERE party_id = (CASE WHEN $1::text ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN $1::text::uuid END)`,
      [params.partyId],
    );
    const row = rows[0];
    return row ? { partyId: row.party_id, view: row.view, tier: row.tier, updatedAt: row.updated_at, updatedPosition: row.updated_position } : null;
  }
}
