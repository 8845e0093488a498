import { DEFAULT_MATCH_THRESHOLDS, matchRecords } from './matching';
import { IdentityErrorCode } from './identity.errors';
import { organisation, person } from './testing/fixtures';

const pnc = (overrides: Parameters<typeof person>[0] = {}) =>
  person({ subsidiary: 'pnc', localId: 'PNC-1', identity: undefined, ...overrides });

describe('matching', () => {
  describe('deterministic rule', () => {
    it('given the same identity hash, links whatever else differs', () => {
      const outcome = matchRecords(person(), pnc({ name: '徐斯远', phones: [], identity: person().identity }));
      expect(outcome).toMatchObject({ score: 1, decision: 'auto-link', method: 'deterministic' });
    });

    it('given different identity hashes, keeps them apart even with the same name', () => {
      const outcome = matchRecords(person(), pnc({ identity: { type: 'RESIDENT_ID', hash: 'other', masked: 'x' } }));
      expect(outcome).toMatchObject({ score: 0, decision: 'separate', method: 'deterministic' });
    });

    it('given the same credit code (any case), links organisations', () => {
      const outcome = matchRecords(organisation(), organisation({ subsidiary: 'group', localId: 'G-9', name: '华达科技', creditCode: '91110101ma0123456b' }));
      expect(outcome.decision).toBe('auto-link');
    });

    it('given organisations with only the same name, sends them to review', () => {
      const outcome = matchRecords(organisation({ creditCode: undefined }), organisation({ localId: 'G', creditCode: undefined, name: '华达科技股份有限公司' }));
      expect(outcome.decision).toBe('review');
    });
  });

  describe('probabilistic score', () => {
    it('given the same person in traditional script with a reformatted phone, auto-links', () => {
      const outcome = matchRecords(person(), pnc({ name: '徐思遠', phones: ['+86 150 5436 0764'] }));
      expect(outcome.decision).toBe('auto-link');
      expect(outcome.evidence).toContainEqual(expect.objectContaining({ field: 'name', comparison: 'exact' }));
      expect(outcome.evidence).toContainEqual(expect.objectContaining({ field: 'phone', comparison: 'shared' }));
    });

    it('given a homophone name, same birth date and address, auto-links on sound', () => {
      const outcome = matchRecords(person(), pnc({ name: '徐思源', phones: ['13900000000'] }));
      expect(outcome.evidence).toContainEqual(expect.objectContaining({ field: 'name', comparison: 'same-pinyin' }));
      expect(outcome.decision).toBe('auto-link');
    });

    it('given only a common name and gender in common, keeps 王伟 and 王伟 apart', () => {
      const a = person({ name: '王伟', identity: undefined, birthDate: '1980-01-01', phones: ['13800000001'], address: '上海市南京西路8号' });
      const b = pnc({ name: '王伟', birthDate: '1975-06-30', phones: ['13900000002'], address: '广州市天河路1号' });
      expect(matchRecords(a, b).decision).toBe('separate');
    });

    it('given a homophone name, a different phone and no birth date, puts it in the review band', () => {
      const outcome = matchRecords(person(), pnc({ name: '徐思源', birthDate: undefined, phones: ['13900000000'] }));
      expect(outcome.decision).toBe('review');
      expect(outcome.score).toBeGreaterThanOrEqual(DEFAULT_MATCH_THRESHOLDS.review);
      expect(outcome.score).toBeLessThan(DEFAULT_MATCH_THRESHOLDS.autoLink);
    });

    it('given a spouse sharing phone and address, never auto-links', () => {
      const outcome = matchRecords(person(), pnc({ name: '李娜', gender: 'F', birthDate: undefined }));
      expect(outcome.decision).toBe('separate');
    });

    it('given a sibling with a generational name, the same phone and address, does not auto-link', () => {
      const outcome = matchRecords(person(), pnc({ name: '徐思明', birthDate: '1992-04-02' }));
      expect(outcome.decision).not.toBe('auto-link');
    });

    it('given a high score but conflicting birth dates (same-name father and son), holds back for review', () => {
      const outcome = matchRecords(person(), pnc({ birthDate: '1962-05-01', emails: [] }));
      expect(outcome.guard).toBe('birth dates conflict');
      expect(outcome.decision).not.toBe('auto-link');
    });

    it('given month and day swapped, treats the birth date as near', () => {
      const outcome = matchRecords(person({ birthDate: '1989-03-11' }), pnc({ birthDate: '1989-11-03' }));
      expect(outcome.evidence).toContainEqual(expect.objectContaining({ field: 'birthDate', comparison: 'near' }));
    });

    it('rejects thresholds out of order', () => {
      expect(() => matchRecords(person(), pnc(), { autoLink: 0.5, review: 0.9 })).toThrow(
        expect.objectContaining({ code: IdentityErrorCode.InvalidThresholds }),
      );
    });
  });
});
