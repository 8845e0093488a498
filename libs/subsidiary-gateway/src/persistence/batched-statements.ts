import type { EntityManager } from 'typeorm';
import { claimStatement, priorUsesOf, type KeyClaim, type PriorUse } from './idempotency.store';

/** Rows for `INSERT ... ON CONFLICT (key) DO NOTHING`; every row of one table has the same columns. */
export type InsertRow = Record<string, string | null>;

export interface References {
  /** local id -> routing key, for the registered ones */
  clientKeys: Map<string, string>;
  agentStatuses: Map<string, 'active' | 'terminated'>;
}

/**
 * Inserts rows that may already exist, in one statement; answers the keys it inserted. Of two
 * rows with one key, PostgreSQL inserts the first and skips the other, so only the first counts.
 */
export async function insertIfAbsent(manager: EntityManager, table: string, keyColumn: string, rows: InsertRow[]): Promise<boolean[]> {
  const columns = Object.keys(rows[0]);
  const params: unknown[] = [];
  const values = rows.map((row) => `(${columns.map((c) => `$${params.push(row[c])}`).join(', ')})`);
  const inserted: Array<Record<string, string>> = await manager.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT (${keyColumn}) DO NOTHING RETURNING ${keyColumn}`,
    params,
  );
  const fresh = new Set(inserted.map((r) => r[keyColumn]));
  return rows.map((row) => fresh.delete(row[keyColumn]!));
}

/** Clients (with their routing keys) and agents (with their status), in one round trip. */
export async function loadReferences(manager: EntityManager, schema: string, clientIds: string[], agentIds: string[]): Promise<References> {
  const rows: ReferenceRow[] = await manager.query(referencesQuery(schema, '$1', '$2'), [clientIds, agentIds]);
  return referencesOf(rows);
}

interface ReferenceRow {
  kind: 'client' | 'agent';
  id: string;
  value: string;
}

function referencesQuery(schema: string, clientParam: string, agentParam: string): string {
  return `SELECT 'client' AS kind, local_id AS id, routing_key AS value FROM "${schema}".clients WHERE local_id = ANY(${clientParam}::text[])
     UNION ALL
     SELECT 'agent', agent_id, status FROM "${schema}".agents WHERE agent_id = ANY(${agentParam}::text[])`;
}

function referencesOf(rows: ReferenceRow[]): References {
  const pick = (kind: string) => new Map(rows.filter((r) => r.kind === kind).map((r) => [r.id, r.value]));
  return { clientKeys: pick('client'), agentStatuses: pick('agent') as Map<string, 'active' | 'terminated'> };
}

/**
 * A group commit's first statement: claims the batch's keys (claimStatement) and
 * reads the clients and agents its requests are known to refer to, in one round trip.
 * The reads see the registry as it was when the statement began.
 */
export async function claimKeysAndReadReferences(
  manager: EntityManager, schema: string, claims: KeyClaim[], clientIds: string[], agentIds: string[],
): Promise<{ priors: Array<PriorUse | null>; references: References }> {
  const params: unknown[] = [];
  const claim = claimStatement(schema, claims, params);
  const clientParam = `$${params.push(clientIds)}`;
  const agentParam = `$${params.push(agentIds)}`;
  const rows: Array<{ kind: 'key' | 'client' | 'agent'; scope: string | null; id: string; value: string | null }> = await manager.query(
    `WITH claimed AS (${claim} RETURNING scope, key)
     SELECT 'key' AS kind, scope, key AS id, NULL::text AS value FROM claimed
     UNION ALL
     SELECT kind, NULL, id, value FROM (${referencesQuery(schema, clientParam, agentParam)}) r`,
    params,
  );
  const inserted = rows.filter((r) => r.kind === 'key').map((r) => ({ scope: r.scope!, key: r.id }));
  const references = referencesOf(rows.flatMap((r) => (r.kind === 'key' ? [] : [{ kind: r.kind, id: r.id, value: r.value! }])));
  return { priors: await priorUsesOf(manager, schema, claims, inserted), references };
}

interface Waiting<I, O> {
  input: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

/**
 * The statements of one group-commit transaction (see IntakeService). The requests of a
 * batch run concurrently on its one connection; what they ask for in the same turn of the
 * event loop goes to PostgreSQL as one statement: one multi-row insert per table, one
 * reference lookup for all. That is where the batch saves its round trips.
 */
export class BatchedStatements {
  private readonly inserts = new Map<string, { keyColumn: string; waiting: Array<Waiting<InsertRow, boolean>> }>();
  private lookups: Array<Waiting<{ clientIds: string[]; agentIds: string[] }, References>> = [];
  private scheduled = false;

  /**
   * `prefetched`: references read with the batch's key claims. A lookup they fully answer
   * is answered from them; one that names anything they lack is read again (it may have been
   * written since, e.g. by a request of this batch), as it would have been without them.
   */
  constructor(
    private readonly manager: EntityManager,
    private readonly schema: string,
    private readonly prefetched?: References,
  ) {}

  insertIfAbsent(table: string, keyColumn: string, row: InsertRow): Promise<boolean> {
    const group = this.inserts.get(table) ?? { keyColumn, waiting: [] };
    this.inserts.set(table, group);
    return this.enqueue(group.waiting, row);
  }

  references(clientIds: string[], agentIds: string[]): Promise<References> {
    const known = this.prefetched;
    if (known && clientIds.every((id) => known.clientKeys.has(id)) && agentIds.every((id) => known.agentStatuses.has(id))) {
      return Promise.resolve(known);
    }
    return this.enqueue(this.lookups, { clientIds, agentIds });
  }

  private enqueue<I, O>(queue: Array<Waiting<I, O>>, input: I): Promise<O> {
    const answer = new Promise<O>((resolve, reject) => queue.push({ input, resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      // After the microtasks of this turn: by then every request of the batch has asked.
      process.nextTick(() => this.flush());
    }
    return answer;
  }

  private flush(): void {
    this.scheduled = false;
    for (const [table, { keyColumn, waiting }] of this.inserts) {
      this.inserts.delete(table);
      settle(waiting, () => insertIfAbsent(this.manager, table, keyColumn, waiting.map((w) => w.input)));
    }
    const lookups = this.lookups.splice(0);
    if (lookups.length > 0) {
      const all = (pick: (i: { clientIds: string[]; agentIds: string[] }) => string[]) => [...new Set(lookups.flatMap((w) => pick(w.input)))];
      settle(lookups, async () => {
        const found = await loadReferences(this.manager, this.schema, all((i) => i.clientIds), all((i) => i.agentIds));
        return lookups.map(() => found);
      });
    }
  }
}

function settle<I, O>(waiting: Array<Waiting<I, O>>, run: () => Promise<O[]>): void {
  run().then(
    (outputs) => waiting.forEach((w, i) => w.resolve(outputs[i])),
    (error: unknown) => waiting.forEach((w) => w.reject(error)),
  );
}
