import { csvField, csvLine } from './csv';

describe('CSV export fields', () => {
  it.each([
    ['plain', 'A-1', 'A-1'],
    ['null', null, ''],
    ['negative amount', '-100.00', '-100.00'],
    ['comma', 'sales/agent, life', '"sales/agent, life"'],
    ['quote', 'say "hi"', '"say ""hi"""'],
    ['formula', '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['boolean', true, 'true'],
  ])('%s', (_name, value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('ends each record with CRLF', () => {
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });
});
