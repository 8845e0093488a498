import { PartyLink } from './identity.types';
import { DEFAULT_SURVIVORSHIP_RULES, goldenProfile } from './survivorship';
import { linkOf, person } from './testing/fixtures';

const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T00:00:00.000Z`;

describe('survivorship', () => {
  const life = linkOf(person({ birthDate: '1989-12-23', phones: ['15054360764'], address: '北京市淮海路197号', verified: false, occurredAt: at(1) }));
  const pnc = linkOf(person({
    subsidiary: 'pnc', localId: 'PNC-1', identity: undefined, birthDate: '1989-12-24', phones: ['13911112222'],
    address: '北京市朝阳区建国路1号', verified: true, occurredAt: at(5),
  }));
  const group = linkOf(person({ subsidiary: 'group', localId: 'G-1', identity: undefined, name: '徐思遠', phones: ['13700000000'], address: undefined, verified: false, occurredAt: at(9) }));

  it('given conflicting birth dates, when the rule is life > group > pnc, then life wins and is cited', () =>
    expect(goldenProfile([pnc, group, life]).birthDate).toEqual({ value: '1989-12-23', subsidiary: 'life', localId: 'LIFE-0000107', asOf: at(1) }));

  it('given phones from three subsidiaries, when the rule is most recent verified, then the verified P&C phone wins over a newer unverified one', () =>
    expect(goldenProfile([life, group, pnc]).phones).toEqual({ value: ['13911112222'], subsidiary: 'pnc', localId: 'PNC-1', asOf: at(5) }));

  it('given no verified source, when the rule is most recent verified, then the most recent wins', () =>
    expect(goldenProfile([life, group]).name).toMatchObject({ value: '徐思遠', subsidiary: 'group', asOf: at(9) }));

  it('given a field only one source has, then it comes from that source; absent everywhere, then null', () => {
    const golden = goldenProfile([pnc, group]);
    expect(golden.identity).toBeNull();
    expect(golden.address).toMatchObject({ subsidiary: 'pnc' });
  });

  it('exposes the masked identity, never the hash', () => {
    const golden = goldenProfile([life]);
    expect(golden.identity?.value).toEqual({ type: 'RESIDENT_ID', masked: '4201**********5872' });
    expect(JSON.stringify(golden)).not.toContain('hmac-a1');
  });

  it('does not depend on link order', () => {
    const orders: PartyLink[][] = [[life, pnc, group], [group, pnc, life], [pnc, life, group]];
    const results = orders.map((o) => JSON.stringify(goldenProfile(o)));
    expect(new Set(results).size).toBe(1);
  });

  it('given a configured rule change, when address prefers life, then life wins', () => {
    const rules = { ...DEFAULT_SURVIVORSHIP_RULES, address: { kind: 'source-priority' as const, order: ['life' as const] } };
    expect(goldenProfile([life, pnc], rules).address?.subsidiary).toBe('life');
  });
});
