import {
  CURRENT_VERSION, EVENT_SCHEMAS, EVENT_TYPES, GROUP_PRODUCT_LINES, LIFE_PRODUCT_LINES, PNC_PRODUCT_LINES, PRODUCT_LINES,
  UPCASTERS,
} from '@lib/contracts';

describe('schema registry', () => {
  it.each(EVENT_TYPES.map((t) => [t]))('given %s, then versions run 1..current with an upcaster for each step', (type) => {
    const versions = Object.keys(EVENT_SCHEMAS[type]).map(Number).sort((a, b) => a - b);
    const current = CURRENT_VERSION[type];
    expect(versions).toEqual(Array.from({ length: current }, (_, i) => i + 1));
    for (let v = 1; v < current; v++) expect(UPCASTERS[type]?.[v]).toEqual(expect.any(Function));
  });

  it('then PRODUCT_LINES is exactly the union of the three subsidiaries\' lines', () => {
    const union = new Set([...LIFE_PRODUCT_LINES, ...PNC_PRODUCT_LINES, ...GROUP_PRODUCT_LINES]);
    expect([...PRODUCT_LINES].sort()).toEqual([...union].sort());
  });
});
