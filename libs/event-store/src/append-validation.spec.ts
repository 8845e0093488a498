import { prepareAppend, prepareBatch } from './append-validation';
import { InvalidAppendError } from './errors';

describe('append validation', () => {
  it('applies defaults and serialises data and metadata once', () => {
    expect(prepareAppend('s-1', [{ eventId: 'e-1', type: 'A', data: { a: 1 } }], 'any')).toEqual([
      { eventId: 'e-1', type: 'A', schemaVersion: 1, data: '{"a":1}', metadata: '{}' },
    ]);
  });

  it.each([
    ['an empty batch', 's', [], 'any'],
    ['an empty stream id', '', [{ eventId: 'e', type: 'A', data: {} }], 'any'],
    ['an empty event id', 's', [{ eventId: '', type: 'A', data: {} }], 'any'],
    ['a schema version of 0', 's', [{ eventId: 'e', type: 'A', data: {}, schemaVersion: 0 }], 'any'],
    ['undefined data', 's', [{ eventId: 'e', type: 'A', data: undefined }], 'any'],
    ['U+0000 in data', 's', [{ eventId: 'e', type: 'A', data: { s: 'a\u0000' } }], 'any'],
    ['metadata that is not an object', 's', [{ eventId: 'e', type: 'A', data: {}, metadata: [] as never }], 'any'],
    ['a negative expected revision', 's', [{ eventId: 'e', type: 'A', data: {} }], -1n],
  ])('rejects %s', (_label, streamId, events, expected) => {
    expect(() => prepareAppend(streamId, events as never, expected as never)).toThrow(InvalidAppendError);
  });

  it('rejects an eventId used twice anywhere in one appendMany', () => {
    const e = { eventId: 'same', type: 'A', data: {} };
    expect(() => prepareBatch([{ streamId: 'a', events: [e] }, { streamId: 'b', events: [e] }])).toThrow(/appears twice/);
    expect(() => prepareBatch([])).toThrow(InvalidAppendError);
  });
});
