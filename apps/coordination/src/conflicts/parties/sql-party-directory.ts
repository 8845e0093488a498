import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PartyDirectoryPort } from '../conflicts.ports';

/**
 * Fallback for identity's PartyDirectory: the same answer from the same tables
 * (party_links, then party_redirects to the survivor of a merge). Bind identity's
 * class instead once it is composed (ConflictsModule.forRoot({ partyDirectory })).
 */
@Injectable()
export class SqlPartyDirectory implements PartyDirectoryPort {
  async partyIdOf(manager: EntityManager, subsidiary: string, localId: string): Promise<string | null> {
    const rows: Array<{ party_id: string }> = await manager.query(
      `WITH RECURSIVE chain(party_id, depth) AS (
         SELECT party_id, 0 FROM coordination.party_links WHERE subsidiary = $1 AND local_id = $2
         UNION ALL
         SELECT r.to_party_id, c.depth + 1 FROM chain c
         JOIN coordination.party_redirects r ON r.from_party_id = c.party_id WHERE c.depth < 16)
       SELECT party_id::text AS party_id FROM chain ORDER BY depth DESC LIMIT 1`,
      [subsidiary, localId],
    );
    return rows[0]?.party_id ?? null;
  }
}
