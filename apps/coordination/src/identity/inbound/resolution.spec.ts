import { DEFAULT_MATCH_THRESHOLDS, matchRecords, SourceClientRecord } from '../domain';
import { person } from '../domain/testing/fixtures';
import { resolveAgainst } from './resolution';

const motor = (overrides: Partial<SourceClientRecord> = {}) =>
  person({ subsidiary: 'pnc', localId: 'PNC-1', identity: undefined, birthDate: undefined, address: undefined, gender: undefined, ...overrides });

describe('resolveAgainst', () => {
  it('given no candidates, then a new party', () => {
    expect(resolveAgainst(motor(), [], DEFAULT_MATCH_THRESHOLDS)).toEqual({ kind: 'new' });
  });

  it('given a candidate with the same name and phone, then it links to that party with the evidence', () => {
    const result = resolveAgainst(motor(), [{ partyId: 'p-1', record: person() }], DEFAULT_MATCH_THRESHOLDS);
    expect(result).toMatchObject({ kind: 'link', partyId: 'p-1', outcome: { method: 'probabilistic' } });
    if (result.kind !== 'link') throw new Error('expected a link');
    expect(result.outcome.evidence.map((e) => e.field)).toEqual(expect.arrayContaining(['name', 'phone']));
  });

  it('given a stricter auto-link threshold, then the same pair goes to review', () => {
    const result = resolveAgainst(motor(), [{ partyId: 'p-1', record: person() }], { autoLink: 0.99999, review: 0.5 });
    expect(result).toMatchObject({ kind: 'review', partyId: 'p-1' });
  });

  it('given a party that also holds a record with a different identity number, then that party is ruled out', () => {
    const incoming = person({ subsidiary: 'group', localId: 'G-1', identity: { type: 'RESIDENT_ID', hash: 'h-2', masked: 'x' } });
    const candidates = [
      { partyId: 'p-1', record: motor() },
      { partyId: 'p-1', record: person({ identity: { type: 'RESIDENT_ID', hash: 'h-1', masked: 'x' } }) },
    ];
    expect(resolveAgainst(incoming, candidates, DEFAULT_MATCH_THRESHOLDS)).toEqual({ kind: 'new' });
  });

  it('given a guarded higher score and a clean auto-link, then the clean auto-link wins', () => {
    const incoming = person({ subsidiary: 'group', localId: 'G-1', identity: undefined, emails: ['xu@example.cn'] });
    const guarded = { partyId: 'p-a', record: person({ localId: 'L-2', identity: undefined, birthDate: '1960-01-01', emails: ['xu@example.cn'] }) };
    const clean = { partyId: 'p-b', record: motor() };
    const [g, c] = [matchRecords(incoming, guarded.record), matchRecords(incoming, clean.record)];
    expect(g).toMatchObject({ decision: 'review', guard: 'birth dates conflict' });
    expect(g.score).toBeGreaterThan(c.score);
    const result = resolveAgainst(incoming, [guarded, clean], DEFAULT_MATCH_THRESHOLDS);
    expect(result).toMatchObject({ kind: 'link', partyId: 'p-b' });
  });

  it('given two parties with equal scores, then the lower party id wins (replays choose the same)', () => {
    const result = resolveAgainst(motor(), [{ partyId: 'p-b', record: person({ localId: 'L-2' }) }, { partyId: 'p-a', record: person({ localId: 'L-3' }) }], DEFAULT_MATCH_THRESHOLDS);
    expect(result).toMatchObject({ kind: 'link', partyId: 'p-a' });
  });

  it('given the record itself among the candidates, then it is not matched against itself', () => {
    const self = motor();
    expect(resolveAgainst(self, [{ partyId: 'p-1', record: self }], DEFAULT_MATCH_THRESHOLDS)).toEqual({ kind: 'new' });
  });
});
