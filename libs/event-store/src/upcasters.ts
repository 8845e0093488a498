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
  /** By type, then by the version each upcaster lifts: an event of a type with none costs one lookup. */
  private readonly upcasters = new Map<string, Map<number, UpcastFn>>();
  private count = 0;

  constructor(definitions: UpcasterDefinition[] = []) {
    for (const d of definitions) this.register(d.type, d.fromVersion, d.upcast);
  }

  register(type: string, fromVersion: number, upcast: UpcastFn): this {
    if (!Number.isInteger(fromVersion) || fromVersion < 1) throw new RangeError(`fromVersion must be an integer >= 1, got ${fromVersion}`);
    let byVersion = this.upcasters.get(type);
    if (byVersion === undefined) this.upcasters.set(type, (byVersion = new Map()));
    if (byVersion.has(fromVersion)) throw new Error(`an upcaster for ${type} v${fromVersion} is already registered`);
    byVersion.set(fromVersion, upcast);
    this.count += 1;
    return this;
  }

  /** The event at the newest version the registry knows; the same object when nothing applies. */
  upcast<T = unknown>(event: RecordedEvent): RecordedEvent<T> {
    const byVersion = this.upcasters.get(event.type);
    if (byVersion === undefined) return event as RecordedEvent<T>;
    let { data, schemaVersion } = event;
    for (let fn = byVersion.get(schemaVersion); fn; fn = byVersion.get(schemaVersion)) {
      data = fn(data, event.metadata);
      schemaVersion += 1;
    }
    return (schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion }) as RecordedEvent<T>;
  }

  upcastAll(events: RecordedEvent[]): RecordedEvent[] {
    return this.count === 0 ? events : events.map((e) => this.upcast(e));
  }

  get size(): number {
    return this.count;
  }
}
