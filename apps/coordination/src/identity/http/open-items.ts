/**
 * Open referrals and conflicts belong to the conflicts feature's read models. They are
 * overlaid when a view is served, not folded into the client-view projection, so that
 * projection stays rebuildable from its own events alone. Absent tables mean none.
 */
import type { DataSource } from 'typeorm';
import type { ClientView } from '../domain';

interface Source {
  table: string;
  idColumn: string;
  openStatuses: string[];
}

const REFERRALS: Source = { table: 'referral_view', idColumn: 'referral_id', openStatuses: ['registered', 'accepted', 'quoted'] };
const CONFLICTS: Source = { table: 'conflict_view', idColumn: 'conflict_id', openStatuses: ['detected', 'queued'] };

/**
 * Whether the conflicts feature's tables are there. Checked once per process when they are
 * (tables are not dropped under a running service); while absent, asked again each time.
 */
const present = new Set<string>();

async function hasColumns(dataSource: DataSource, source: Source): Promise<boolean> {
  if (present.has(source.table)) return true;
  const rows: Array<{ n: string }> = await dataSource.query(
    `SELECT count(*)::text AS n FROM pg_attribute
      WHERE attrelid = to_regclass($1) AND attname = ANY($2::text[]) AND attnum > 0 AND NOT attisdropped`,
    [`coordination.${source.table}`, [source.idColumn, 'party_id', 'status']],
  );
  if (rows[0]?.n !== '3') return false;
  present.add(source.table);
  return true;
}

/** A fixed list of statuses as an SQL literal (they are code constants, lower-case words). */
function statusesLiteral(statuses: string[]): string {
  if (!statuses.every((s) => /^[a-z-]+$/.test(s))) throw new Error(`unexpected status in ${JSON.stringify(statuses)}`);
  return `'{${statuses.join(',')}}'::text[]`;
}

/** Ids of the open items of one requested party and the parties merged into it (`absorbed`, rows of (root, id)), as an array column; '{}' when the table is absent. */
function openIdsColumn(source: Source, available: boolean): string {
  if (!available) return `'{}'::text[]`;
  return `ARRAY(SELECT DISTINCT s.${source.idColumn}::text FROM coordination.${source.table} s
     WHERE s.party_id = ANY(SELECT a.id::text FROM absorbed a WHERE a.root = q.id) AND s.status = ANY(${statusesLiteral(source.openStatuses)}) ORDER BY 1)`;
}

export interface ViewWithOpenItems {
  view: ClientView;
  referralIds: string[];
  conflictIds: string[];
}

/**
 * For each party asked for (in order, repeats allowed), its stored view and the open items
 * of the party and of every party merged into it (their referrals were filed under the old
 * id), all in one statement; null for a party with no view. Planning it costs several times
 * what running it does, so it is written to keep one generic plan (see below).
 */
export async function viewsWithOpenItems(dataSource: DataSource, partyIds: string[]): Promise<Array<ViewWithOpenItems | null>> {
  const [referrals, conflicts] = [await hasColumns(dataSource, REFERRALS), await hasColumns(dataSource, CONFLICTS)];
  // The ids reach the plan only through a sub-select, and the statuses are literals, so the
  // planner's estimates do not depend on the arguments: as a prepared statement (the platform's
  // DATABASE_PREPARED_STATEMENTS) PostgreSQL keeps one generic plan for every batch size.
  const rows: Array<{ ord: number; view: ClientView; referral_ids: string[]; conflict_ids: string[] }> = await dataSource.query(
    `WITH RECURSIVE q(id, ord) AS (
       SELECT u.id, u.ord::int
         FROM unnest(ARRAY(SELECT x FROM unnest($1::uuid[]) WITH ORDINALITY AS t(x, n) ORDER BY n)) WITH ORDINALITY AS u(id, ord)),
     absorbed(root, id) AS (
       SELECT DISTINCT q.id, q.id FROM q
       UNION SELECT a.root, r.from_party_id FROM coordination.party_redirects r JOIN absorbed a ON r.to_party_id = a.id)
     SELECT q.ord, v.view, ${openIdsColumn(REFERRALS, referrals)} AS referral_ids, ${openIdsColumn(CONFLICTS, conflicts)} AS conflict_ids
       FROM q JOIN coordination.client_view v ON v.party_id = q.id`,
    [partyIds],
  );
  const found: Array<ViewWithOpenItems | null> = partyIds.map(() => null);
  for (const row of rows) found[row.ord - 1] = { view: row.view, referralIds: row.referral_ids, conflictIds: row.conflict_ids };
  return found;
}

interface Waiting {
  partyId: string;
  resolve(found: ViewWithOpenItems | null): void;
  reject(error: unknown): void;
}

/**
 * Reads views for concurrent requests together: while one statement is in flight, the
 * parties asked for meanwhile wait and go in the next one, all at once. An idle loader
 * sends a lone read at once. Each read still sees what was committed when its statement
 * ran; what it saves is a round trip (a socket write and a wake-up on both sides) per read.
 */
export class ClientViewLoader {
  private queue: Waiting[] = [];
  private busy = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly maxBatch = 128,
  ) {}

  load(partyId: string): Promise<ViewWithOpenItems | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ partyId, resolve, reject });
      if (!this.busy) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const found = await viewsWithOpenItems(this.dataSource, batch.map((w) => w.partyId));
          batch.forEach((w, i) => w.resolve(found[i]));
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.busy = false;
    }
  }
}
