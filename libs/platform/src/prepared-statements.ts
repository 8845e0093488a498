import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** Distinct statement texts named per process; texts beyond it run unnamed, as before. */
export const MAX_PREPARED_STATEMENTS = 512;

/**
 * The statement name of a parameterised text: a digest of the text, so one text has one name
 * on every connection and two texts never share one. Null for texts that stay unnamed: no
 * parameters (transaction control, savepoints, several statements in one string) or the
 * process already names `limit` texts (statements built with varying literals cannot grow
 * every connection's prepared statements without bound).
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly limit = MAX_PREPARED_STATEMENTS) {}

  nameOf(text: string, values: unknown): string | null {
    if (!Array.isArray(values) || values.length === 0) return null;
    const known = this.names.get(text);
    if (known !== undefined) return known;
    if (this.names.size >= this.limit) return null;
    const name = `x_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    this.names.set(text, name);
    return name;
  }

  get size(): number {
    return this.names.size;
  }
}

/**
 * A pg Client that sends each parameterised statement as a named, server-side prepared
 * one: PostgreSQL parses and analyses the text once per connection instead of on every
 * call, and may keep its plan. Most of the coordination service's statements are CTEs run
 * thousands of times a minute, where that work was a large part of the server's CPU
 * (BENCHMARKS.md). Transparent to callers (TypeORM's `query(text, values)` included): the
 * results, errors and transactions are those of the unnamed statement.
 *
 * PostgreSQL may then run a statement from a generic plan. One made while a table had never
 * been analysed (a fresh database filling fast) can scan that table whole until autovacuum
 * analyses it, which replaces the plan: seen in the coordination bench as a sequential scan of
 * `identity_keys` per registration in its first minute (its look-ups are now shaped so that such
 * a plan still takes the primary key: identity.store.ts). Measured over 10,000 parties it still
 * beat planning every call (plan_cache_mode=force_custom_plan): 242 against 211 mixed events/s,
 * PostgreSQL 2.4 against 2.8 ms per event.
 *
 * Turn it off (DATABASE_PREPARED_STATEMENTS=false) behind a pooler that hands one session's
 * statements to several server connections (PgBouncer in transaction mode before 1.21).
 */
export function preparingClient(names = new StatementNames()): typeof Client {
  class PreparingClient extends Client {}
  const unnamed = Client.prototype.query as (this: Client, ...args: unknown[]) => unknown;
  PreparingClient.prototype.query = function query(this: Client, config: unknown, values?: unknown, callback?: unknown) {
    const name = typeof config === 'string' ? names.nameOf(config, values) : null;
    return name === null ? unnamed.call(this, config, values, callback) : unnamed.call(this, { name, text: config, values }, callback);
  } as Client['query'];
  return PreparingClient;
}
