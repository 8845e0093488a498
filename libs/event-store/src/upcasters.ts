import type { EventMetadata, RecordedEvent } from './event-store.port';

/** Turns the data of `type` at `fromVersion` into the data of version `fromVersion + 1`. */
export type UpcastFn = (data: unknown, metadata: EventMetadata) => unknown;

export interface UpcasterDefinition {
  type: string;
  fromVersion: number;
  upcast: UpcastFn;
}

/**
 * Old schema versions are upgraded on read, one version at a time, so the stored
 * history is never rewritten (the integrity chain covers the stored form). The
 * canonical upcasters live in @lib/contracts; this is only the mechanism.
 */
export class UpcasterRegistry {
  private readonly upcasters = new Map<string, UpcastFn>();

  constructor(definitions: UpcasterDefinition[] = []) {
    for (const d of definitions) this.register(d.type, d.fromVersion, d.upcast);
  }

  register(type: string, fromVersion: number, upcast: UpcastFn): this {
    if (!Number.isInteger(fromVersion) || fromVersion < 1) throw new RangeError(`fromVersion must be an integer >= 1, got ${fromVersion}`);
    const key = keyOf(type, fromVersion);
    if (this.upcasters.has(key)) throw new Error(`an upcaster for ${type} v${fromVersion} is already registered`);
    this.upcasters.set(key, upcast);
    return this;
  }

  /** The event at the newest version the registry knows; the same object when nothing applies. */
  upcast<T = unknown>(event: RecordedEvent): RecordedEvent<T> {
    let { data, schemaVersion } = event;
    for (let fn = this.find(event.type, schemaVersion); fn; fn = this.find(event.type, schemaVersion)) {
      data = fn(data, event.metadata);
      schemaVersion += 1;
    }
    return (schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion }) as RecordedEvent<T>;
  }

  upcastAll(events: RecordedEvent[]): RecordedEvent[] {
    return this.upcasters.size === 0 ? events : events.map((e) => this.upcast(e));
  }

  get size(): number {
    return this.upcasters.size;
  }

  private find(type: string, version: number): UpcastFn | undefined {
    return this.upcasters.get(keyOf(type, version));
  }
}

function keyOf(type: string, version: number): string {
  return `${type}\u0000${version}`;
}
