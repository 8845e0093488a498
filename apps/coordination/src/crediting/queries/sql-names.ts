/** Table names reach SQL as identifiers, never as bind parameters: accept only plain (schema.)name. */
export function safeTable(name: string): string {
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/i.test(name)) throw new Error(`not a table name: ${name}`);
  return name;
}

/** Collects bind parameters while a WHERE clause is assembled. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
