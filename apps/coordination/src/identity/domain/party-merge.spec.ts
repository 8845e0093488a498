import { IdentityErrorCode as Code } from './identity.errors';
import { evolve, initialState } from './party.decider';
import { decideMerge, decideUnmerge } from './party-merge';
import { PartyEvent, PartyState } from './party.events';
import { linkOf, person, T0, T1, T2 } from './testing/fixtures';

const a1 = person();
const b1 = person({ subsidiary: 'pnc', localId: 'PNC-1', identity: undefined });
const b2 = person({ subsidiary: 'group', localId: 'GRP-7', identity: undefined });

function party(partyId: string, ...records: (typeof a1)[]): PartyEvent[] {
  return [
    { type: 'PartyRegistered', data: { partyId, kind: 'person', registeredAt: T0 } },
    ...records.map((record): PartyEvent => ({ type: 'SourceRecordLinked', data: { partyId, record, method: 'origin', score: null, evidence: [], linkedAt: T0 } })),
  ];
}
const fold = (events: PartyEvent[]): PartyState => events.reduce(evolve, initialState());
const keys = (s: PartyState) => (s.status === 'empty' ? [] : Object.keys(s.links).sort());

const merge = { mergeId: 'M1', survivorId: 'A', absorbedId: 'B', reason: 'duplicate', evidence: [], actor: 'coordinator:wang', now: T1 };
const unmerge = { mergeId: 'M1', survivorId: 'A', absorbedId: 'B', reason: 'wrong merge', actor: 'coordinator:li', now: T2 };

describe('merge and unmerge', () => {
  const A = party('A', a1);
  const B = party('B', b1, b2);

  it('given two parties, when merged, then the survivor gets every link and the absorbed points at it', () => {
    const { survivor, absorbed } = decideMerge(merge, fold(A), fold(B));
    expect(survivor).toEqual([{ type: 'PartiesMerged', data: expect.objectContaining({ mergeId: 'M1', links: [linkOf(b1), linkOf(b2)], actor: 'coordinator:wang', mergedAt: T1 }) }]);
    expect(absorbed).toEqual([{ type: 'PartyMergedInto', data: expect.objectContaining({ partyId: 'B', survivorId: 'A', links: [linkOf(b1), linkOf(b2)] }) }]);
    expect(keys(fold([...A, ...survivor]))).toEqual(['group:GRP-7', 'life:LIFE-0000107', 'pnc:PNC-1']);
    expect(fold([...B, ...absorbed])).toMatchObject({ status: 'merged', links: {}, mergedInto: { survivorId: 'A' } });
  });

  it('given one party, when merged into itself, then it refuses', () =>
    expect(() => decideMerge({ ...merge, absorbedId: 'A' }, fold(A), fold(A))).toThrow(expect.objectContaining({ code: Code.SelfMerge })));

  it('given a survivor that was itself merged away, when another party is merged into it, then it refuses', () => {
    const merged: PartyEvent = { type: 'PartyMergedInto', data: { mergeId: 'M0', partyId: 'A', survivorId: 'Z', links: [], reason: '', evidence: [], actor: 'x', mergedAt: T0 } };
    expect(() => decideMerge(merge, fold([...A, merged]), fold(B))).toThrow(expect.objectContaining({ code: Code.PartyMerged }));
  });

  it('given a merge, when unmerged after the moved link was updated, then exactly those links go back in their current version', () => {
    const m = decideMerge(merge, fold(A), fold(B));
    const updatedB1 = { ...b1, phones: ['13800001111'], occurredAt: T1 };
    const update: PartyEvent = { type: 'SourceRecordUpdated', data: { partyId: 'A', record: updatedB1, updatedAt: T1 } };
    const survivorHistory = [...A, ...m.survivor, update];
    const { survivor, absorbed } = decideUnmerge(unmerge, fold(survivorHistory), fold([...B, ...m.absorbed]));

    expect(survivor[0]).toMatchObject({ type: 'PartiesUnmerged', data: { absorbedId: 'B', links: [{ ...linkOf(b1), record: updatedB1 }, linkOf(b2)] } });
    expect(keys(fold([...survivorHistory, ...survivor]))).toEqual(['life:LIFE-0000107']);
    const restored = fold([...B, ...m.absorbed, ...absorbed]);
    expect(restored).toMatchObject({ status: 'active', mergedInto: null });
    expect(keys(restored)).toEqual(['group:GRP-7', 'pnc:PNC-1']);
  });

  it('given an undone merge, when unmerged again, then it refuses', () => {
    const m = decideMerge(merge, fold(A), fold(B));
    const u = decideUnmerge(unmerge, fold([...A, ...m.survivor]), fold([...B, ...m.absorbed]));
    expect(() => decideUnmerge(unmerge, fold([...A, ...m.survivor, ...u.survivor]), fold([...B, ...m.absorbed, ...u.absorbed])))
      .toThrow(expect.objectContaining({ code: Code.MergeAlreadyUndone }));
  });

  it('given no such merge, when unmerged, then it refuses', () =>
    expect(() => decideUnmerge(unmerge, fold(A), fold(B))).toThrow(expect.objectContaining({ code: Code.MergeNotFound })));

  it('given a merge of B, when unmerge names another absorbed party, then it refuses', () => {
    const m = decideMerge(merge, fold(A), fold(B));
    expect(() => decideUnmerge({ ...unmerge, absorbedId: 'C' }, fold([...A, ...m.survivor]), fold(party('C', b1))))
      .toThrow(expect.objectContaining({ code: Code.MergeNotFound }));
  });

  it('given two merges into A, when the first is undone, then the second one\'s links stay', () => {
    const m1 = decideMerge(merge, fold(A), fold(party('B', b1)));
    const m2 = decideMerge({ ...merge, mergeId: 'M2', absorbedId: 'C' }, fold([...A, ...m1.survivor]), fold(party('C', b2)));
    const history = [...A, ...m1.survivor, ...m2.survivor];
    const u = decideUnmerge(unmerge, fold(history), fold([...party('B', b1), ...m1.absorbed]));
    expect(keys(fold([...history, ...u.survivor]))).toEqual(['group:GRP-7', 'life:LIFE-0000107']);
  });
});
