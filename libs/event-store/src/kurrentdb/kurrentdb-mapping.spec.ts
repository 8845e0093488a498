import { encodePosition } from '../position';
import { fromKurrentEvent, isUserEvent, kurrentEventId, toKurrentEvent, uuidV5 } from './kurrentdb-mapping';

describe('KurrentDB mapping', () => {
  it('computes RFC 4122 version-5 UUIDs (the RFC DNS example)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('keeps UUID event ids and maps any other id deterministically', () => {
    expect(kurrentEventId('2ED6657D-E927-568B-95E1-2665A8AEA6A2')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(kurrentEventId('LIFE-42')).toBe(kurrentEventId('LIFE-42'));
    expect(kurrentEventId('LIFE-42')).not.toBe(kurrentEventId('LIFE-43'));
  });

  it('round-trips eventId, schemaVersion and metadata through KurrentDB metadata', () => {
    const stored = toKurrentEvent({ eventId: 'LIFE-42', type: 'PolicyIssued', schemaVersion: 2, data: '{"a":1}', metadata: '{"correlationId":"c-1","causationId":null}' });
    expect(stored.metadata).toMatchObject({ $correlationId: 'c-1', __es: { schemaVersion: 2, eventId: 'LIFE-42' } });
    const read = fromKurrentEvent({
      streamId: 's', id: stored.id, revision: 4n, type: stored.type, created: new Date(0), data: stored.data, metadata: stored.metadata, position: { commit: 10n, prepare: 9n },
    });
    expect(read).toEqual({
      eventId: 'LIFE-42', type: 'PolicyIssued', schemaVersion: 2, data: { a: 1 }, metadata: { correlationId: 'c-1', causationId: null },
      streamId: 's', streamRevision: 4n, globalPosition: encodePosition(10n, 9n), recordedAt: new Date(0),
    });
  });

  it('hides system and adapter-internal streams from readers', () => {
    expect(isUserEvent({ streamId: 'party-1', type: 'A' })).toBe(true);
    expect(isUserEvent({ streamId: '$stats-1', type: 'A' })).toBe(false);
    expect(isUserEvent({ streamId: 'party-1', type: '$metadata' })).toBe(false);
    expect(isUserEvent({ streamId: '__es-checkpoint-x', type: 'CheckpointMoved' })).toBe(false);
  });
});
