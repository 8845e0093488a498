import { prefersNdjson } from './accept.util';

describe('prefersNdjson', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['application/json', false],
    ['application/x-ndjson', true],
    ['Application/X-NDJSON; charset=utf-8', true],
    ['application/x-ndjson, application/json', true],
    ['application/json, application/x-ndjson', false],
    ['application/json;q=0.5, application/x-ndjson', true],
    ['application/x-ndjson;q=0.2, */*', false],
    ['application/x-ndjson, */*', true],
    ['application/*, application/x-ndjson;q=0.9', false],
    ['application/x-ndjson;q=0', false],
    ['text/html', false],
  ])('Accept %p: %p', (accept, expected) => {
    expect(prefersNdjson(accept)).toBe(expected);
  });
});
