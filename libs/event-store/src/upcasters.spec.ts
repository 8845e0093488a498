import type { RecordedEvent } from './event-store.port';
import { UpcasterRegistry } from './upcasters';

const recorded = (type: string, schemaVersion: number, data: unknown): RecordedEvent => ({
  eventId: 'e-1', type, schemaVersion, data, metadata: { actor: 'a' }, streamId: 's', streamRevision: 0n, globalPosition: 'p', recordedAt: new Date(0),
});

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry([
    { type: 'PolicyIssued', fromVersion: 1, upcast: (d) => ({ ...(d as object), currency: 'CNY' }) },
    { type: 'PolicyIssued', fromVersion: 2, upcast: (d, m) => ({ ...(d as object), by: m.actor }) },
  ]);

  it('given a v1 event, when read, then every upcaster in the chain runs in order', () => {
    expect(registry.upcast(recorded('PolicyIssued', 1, { amount: '1.00' }))).toMatchObject({ schemaVersion: 3, data: { amount: '1.00', currency: 'CNY', by: 'a' } });
  });

  it('given a v2 event, when read, then only the later upcaster runs', () => {
    expect(registry.upcast(recorded('PolicyIssued', 2, { amount: '1.00' }))).toMatchObject({ schemaVersion: 3, data: { amount: '1.00', by: 'a' } });
  });

  it('given an event with no upcaster, when read, then it is returned unchanged', () => {
    const event = recorded('ClaimSettled', 1, { x: 1 });
    expect(registry.upcast(event)).toBe(event);
  });

  it('refuses a second upcaster for the same type and version, and versions below 1', () => {
    expect(() => registry.register('PolicyIssued', 1, (d) => d)).toThrow(/already registered/);
    expect(() => new UpcasterRegistry().register('X', 0, (d) => d)).toThrow(RangeError);
    expect(registry.size).toBe(2);
  });
});
