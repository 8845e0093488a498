import { mayBeTopStrategic, profileTimeline, relationshipTeamOf, type TermEndorsement, type TierTerm } from './party-profiles';

/** A term of a year from its effective date, at an annual standard premium. */
const year = (effectiveDate: string, annualStandardPremium: string): TierTerm =>
  ({ effectiveDate, expiryDate: `${Number(effectiveDate.slice(0, 4)) + 1}${effectiveDate.slice(4)}`, annualStandardPremium });

describe('relationshipTeamOf', () => {
  it('given servicers ordered by premium, when the team is formed, then the first leads and the others are members once', () => {
    const team = relationshipTeamOf([
      { agent_id: 'G-RM-1', subsidiary: 'group', channel: 'GROUP_ACCOUNT' },
      { agent_id: 'A-1001', subsidiary: 'life', channel: 'AGENCY' },
      { agent_id: 'G-RM-1', subsidiary: 'group', channel: 'GROUP_ACCOUNT' },
      { agent_id: 'A-1001', subsidiary: 'life', channel: 'AGENCY' },
    ]);
    expect(team).toEqual({
      manager: { subsidiary: 'group', channel: 'GROUP_ACCOUNT', agentId: 'G-RM-1' },
      members: [{ subsidiary: 'life', agentId: 'A-1001' }],
    });
  });

  it('given no in-force policy, when the team is formed, then there is no team', () => {
    expect(relationshipTeamOf([])).toBeUndefined();
  });
});

describe('the party as it stood (profileTimeline: tier history)', () => {
  // 300k held since 1 March; a 300k group policy effective 1 April makes the client top-strategic then.
  const holdings = [{ terms: [year('2026-03-01', '300000.00')] }, { terms: [year('2026-04-01', '300000.00')] }];
  const servicers = [
    { agent_id: 'G-RM-1', subsidiary: 'group' as const, channel: 'GROUP_ACCOUNT', issued_at: new Date('2026-03-31T16:30:00Z'), terms: holdings[1].terms },
    { agent_id: 'A-1001', subsidiary: 'life' as const, channel: 'AGENCY', issued_at: new Date('2026-02-27T02:00:00Z'), terms: holdings[0].terms },
  ];
  const at = profileTimeline('P-1', holdings, servicers);

  it('given a moment before the second policy took effect, then the tier of that day (strategic), not today\'s', () => {
    expect(at('2026-03-20T09:00:00Z')).toEqual({ partyId: 'P-1', tier: 'MID_STRATEGIC' });
  });

  it('given a moment on its effective day (Beijing time), then top-strategic with the team servicing the policies issued by then', () => {
    expect(at('2026-03-31T16:00:00Z')).toEqual({
      partyId: 'P-1', tier: 'TOP_STRATEGIC', relationshipTeam: { manager: { subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001' }, members: [] },
    });
    expect(at('2026-04-02T09:00:00Z')).toMatchObject({ tier: 'TOP_STRATEGIC', relationshipTeam: { manager: { agentId: 'G-RM-1' }, members: [{ agentId: 'A-1001' }] } });
  });
});

describe('the party as it stood, with its policies\' status changes (profileTimeline)', () => {
  // 300k of life cover since 1 February and 300k of group cover since 1 April: top-strategic from 1 April.
  // The life policy lapses on 1 May and is reinstated on 1 June; the group policy is cancelled on 1 July.
  const LAPSED = { effectiveDate: '2026-05-01', status: 'lapsed' as const, reportedAt: '2026-05-03T02:00:00Z' };
  const REINSTATED = { effectiveDate: '2026-06-01', status: 'in-force' as const, reportedAt: '2026-06-01T02:00:00Z' };
  const CANCELLED = { effectiveDate: '2026-07-01', status: 'cancelled' as const, reportedAt: '2026-06-20T02:00:00Z' };
  const life = (statusChanges: (typeof LAPSED | typeof REINSTATED)[]) => ({ terms: [year('2026-02-01', '300000.00')], statusChanges });
  const group = { terms: [year('2026-04-01', '300000.00')], statusChanges: [CANCELLED] };
  const servicers = (lifeChanges: (typeof LAPSED | typeof REINSTATED)[]) => [
    { agent_id: 'A-1001', subsidiary: 'life' as const, channel: 'AGENCY', issued_at: new Date('2026-01-30T02:00:00Z'), terms: life([]).terms, status_changes: lifeChanges },
    { agent_id: 'G-RM-1', subsidiary: 'group' as const, channel: 'GROUP_ACCOUNT', issued_at: new Date('2026-03-30T02:00:00Z'), terms: group.terms, status_changes: [CANCELLED] },
  ];
  const tiers = (at: (moment: string) => { tier: string }) =>
    ['2026-03-15', '2026-04-15', '2026-05-15', '2026-06-15', '2026-07-15'].map((day) => at(`${day}T09:00:00+08:00`).tier);

  it.each([['lapse reported first', [LAPSED, REINSTATED]], ['reinstatement reported first', [REINSTATED, LAPSED]]])(
    'given the %s, then each policy counts only on the days it was in force',
    (_name, lifeChanges) => {
      const at = profileTimeline('P-1', [life(lifeChanges), group], servicers(lifeChanges));
      expect(tiers(at)).toEqual(['MID_STRATEGIC', 'TOP_STRATEGIC', 'MID_STRATEGIC', 'TOP_STRATEGIC', 'MID_STRATEGIC']);
    },
  );

  it('given a moment the client is top-strategic again after the reinstatement, then the team is the servicers of the policies in force that day', () => {
    const at = profileTimeline('P-1', [life([LAPSED, REINSTATED]), group], servicers([LAPSED, REINSTATED]));
    expect(at('2026-06-15T09:00:00+08:00').relationshipTeam).toEqual({
      manager: { subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001' }, members: [{ subsidiary: 'group', agentId: 'G-RM-1' }],
    });
  });

  it('given a cancellation dated on or before the effective date (a cooling-off withdrawal), then the policy counts at no moment', () => {
    const withdrawn = { ...group, statusChanges: [{ effectiveDate: '2026-04-01', status: 'cancelled' as const, reportedAt: '2026-04-10T02:00:00Z' }] };
    expect(tiers(profileTimeline('P-1', [life([]), withdrawn], []))).toEqual(Array(5).fill('MID_STRATEGIC'));
  });

  it('given two changes dated the same day, then the one reported later stands, whatever order they are listed in', () => {
    const sameDay = { effectiveDate: '2026-05-01', status: 'in-force' as const, reportedAt: '2026-05-04T02:00:00Z' };
    for (const changes of [[LAPSED, sameDay], [sameDay, LAPSED]]) {
      expect(profileTimeline('P-1', [life(changes), group], [])('2026-05-15T09:00:00+08:00').tier).toBe('TOP_STRATEGIC');
    }
  });
});

describe('the party as it stood, with a renewed policy (profileTimeline: terms)', () => {
  // 300k of life cover for February 2026 to January 2027, renewed for March 2027 on (a month uncovered
  // between the terms), and 300k of group cover from April 2026 to March 2028.
  const FIRST = { effectiveDate: '2026-02-01', expiryDate: '2027-01-31', annualStandardPremium: '300000.00' };
  const renewed = (annualStandardPremium: string) => ({ effectiveDate: '2027-03-01', expiryDate: '2028-02-29', annualStandardPremium });
  const group = { terms: [{ effectiveDate: '2026-04-01', expiryDate: '2028-03-31', annualStandardPremium: '300000.00' }] };
  const tiers = (at: (moment: string) => { tier: string }) =>
    ['2026-03-15', '2026-04-15', '2027-02-15', '2027-04-15', '2028-03-15'].map((day) => at(`${day}T09:00:00+08:00`).tier);

  it.each([['issue\'s term listed first', (r: ReturnType<typeof renewed>) => [FIRST, r]], ['renewal\'s term listed first', (r: ReturnType<typeof renewed>) => [r, FIRST]]])(
    'given the %s, then the policy counts in each term at that term\'s premium, and not between terms',
    (_name, terms) => {
      expect(tiers(profileTimeline('P-1', [{ terms: terms(renewed('300000.00')) }, group], []))).toEqual(
        ['MID_STRATEGIC', 'TOP_STRATEGIC', 'MID_STRATEGIC', 'TOP_STRATEGIC', 'MID_STRATEGIC']);
      expect(tiers(profileTimeline('P-1', [{ terms: terms(renewed('150000.00')) }, group], []))).toEqual(
        ['MID_STRATEGIC', 'TOP_STRATEGIC', 'MID_STRATEGIC', 'MID_STRATEGIC', 'MID_STRATEGIC']);
    },
  );

  it('given the renewal, then the policy\'s servicer is in the relationship team in either term, and not between them', () => {
    const life = { terms: [FIRST, renewed('300000.00')] };
    const bigGroup = { terms: [{ ...group.terms[0], annualStandardPremium: '600000.00' }] };
    const servicers = [
      { agent_id: 'G-RM-1', subsidiary: 'group' as const, channel: 'GROUP_ACCOUNT', issued_at: new Date('2026-03-30T02:00:00Z'), terms: bigGroup.terms },
      { agent_id: 'A-1001', subsidiary: 'life' as const, channel: 'AGENCY', issued_at: new Date('2026-01-30T02:00:00Z'), terms: life.terms },
    ];
    const at = profileTimeline('P-1', [life, bigGroup], servicers);
    const withLife = { manager: { subsidiary: 'group', channel: 'GROUP_ACCOUNT', agentId: 'G-RM-1' }, members: [{ subsidiary: 'life', agentId: 'A-1001' }] };
    expect(at('2026-04-15T09:00:00+08:00').relationshipTeam).toEqual(withLife);
    expect(at('2027-02-15T09:00:00+08:00').relationshipTeam).toEqual({ ...withLife, members: [] });
    expect(at('2027-04-15T09:00:00+08:00').relationshipTeam).toEqual(withLife);
  });
});

describe('the party as it stood, with endorsed policies (profileTimeline: endorsements)', () => {
  // 300k of group cover from April 2026 to March 2027; 150k of life cover for February 2026 to January 2027,
  // endorsed +50k from 1 June 2026 and -100k from 1 September, renewed for February 2027 at 190k and endorsed
  // +30k from 1 March 2027 (500k in all makes the client top-strategic).
  const group = { terms: [{ effectiveDate: '2026-04-01', expiryDate: '2027-03-31', annualStandardPremium: '300000.00' }] };
  const first = (endorsements: TermEndorsement[]) => ({ ...year('2026-02-01', '150000.00'), expiryDate: '2027-01-31', endorsements });
  const RAISED = { effectiveDate: '2026-06-01', annualStandardPremiumDelta: '50000.00' };
  const LOWERED = { effectiveDate: '2026-09-01', annualStandardPremiumDelta: '-100000.00' };
  const renewed = { ...year('2027-02-01', '190000.00'), expiryDate: '2028-01-31', endorsements: [{ effectiveDate: '2027-03-01', annualStandardPremiumDelta: '30000.00' }] };
  const tiers = (life: { terms: TierTerm[] }) =>
    ['2026-05-31', '2026-06-01', '2026-08-31', '2026-09-01', '2027-02-15', '2027-03-15'].map((day) => profileTimeline('P-1', [life, group], [])(`${day}T09:00:00+08:00`).tier);

  it('given endorsements listed in either order, then each changes the premium from its date on and not before', () => {
    for (const endorsements of [[RAISED, LOWERED], [LOWERED, RAISED]]) {
      expect(tiers({ terms: [first(endorsements)] }).slice(0, 4)).toEqual(['MID_STRATEGIC', 'TOP_STRATEGIC', 'TOP_STRATEGIC', 'MID_STRATEGIC']);
    }
  });

  it('given a renewal, then the first term\'s endorsements end with it and the renewed term counts its own premium and endorsements', () => {
    // 490k in February 2027, 520k from March; the first term's net -50k carried on would leave it strategic in March too.
    expect(tiers({ terms: [renewed, first([RAISED, LOWERED])] }).slice(4)).toEqual(['MID_STRATEGIC', 'TOP_STRATEGIC']);
  });
});

describe('the party as it stood, with its servicing history (profileTimeline: the team of the day)', () => {
  // 600k of life cover from 1 June 2025 to 31 May 2026, renewed to 31 May 2027: top-strategic throughout.
  const life = [year('2025-06-01', '600000.00'), year('2026-06-01', '600000.00')];
  const servicer = { agent_id: 'A-1002', subsidiary: 'life' as const, channel: 'AGENCY', issued_at: new Date('2025-05-28T02:00:00Z'), terms: life };
  const ISSUE = { effectiveDate: '2025-06-01', agentId: 'A-1001', issue: true, subsidiary: 'life', channel: 'AGENCY' };
  const RENEWAL = { effectiveDate: '2026-06-01', agentId: 'A-1002', issue: false, subsidiary: 'life', channel: 'AGENCY' };
  const managerOn = (at: (moment: string) => { relationshipTeam?: { manager: { agentId: string } } }, day: string) => at(`${day}T09:00:00+08:00`).relationshipTeam?.manager.agentId;

  it('given a renewal naming a new servicer, listed in either order, then each moment\'s team is who serviced the policy that day, not the row\'s servicer now', () => {
    for (const servicing of [[ISSUE, RENEWAL], [RENEWAL, ISSUE]]) {
      const at = profileTimeline('P-1', [{ terms: life }], [{ ...servicer, servicing }]);
      expect(['2025-06-01', '2026-03-10', '2026-05-31', '2026-06-01', '2026-07-10'].map((day) => managerOn(at, day))).toEqual(['A-1001', 'A-1001', 'A-1001', 'A-1002', 'A-1002']);
    }
  });

  it('given no servicing history (recorded before it was kept), then the row\'s servicer throughout', () => {
    const at = profileTimeline('P-1', [{ terms: life }], [servicer]);
    expect(['2026-03-10', '2026-07-10'].map((day) => managerOn(at, day))).toEqual(['A-1002', 'A-1002']);
  });

  it('given a hand-out dated before the policy took effect (its servicer had left), then the new servicer from the start', () => {
    const handedOn = { effectiveDate: '2025-05-15', agentId: 'A-1003', issue: false, subsidiary: 'group', channel: 'DIRECT' };
    const at = profileTimeline('P-1', [{ terms: life }], [{ ...servicer, servicing: [ISSUE, handedOn] }]);
    expect(at('2026-03-10T09:00:00+08:00').relationshipTeam).toEqual({ manager: { subsidiary: 'group', channel: 'DIRECT', agentId: 'A-1003' }, members: [] });
  });

  it('given a policy endorsed above the other from 1 May, then its servicer leads the team from then and not before', () => {
    const group = [{ ...year('2026-01-01', '300000.00'), endorsements: [{ effectiveDate: '2026-05-01', annualStandardPremiumDelta: '200000.00' }] }];
    const lifeOnly = [year('2026-01-01', '400000.00')];
    const servicers = [
      { agent_id: 'A-1001', subsidiary: 'life' as const, channel: 'AGENCY', issued_at: null, terms: lifeOnly },
      { agent_id: 'G-RM-1', subsidiary: 'group' as const, channel: 'GROUP_ACCOUNT', issued_at: null, terms: group },
    ];
    for (const listed of [servicers, [...servicers].reverse()]) {
      const at = profileTimeline('P-1', [{ terms: lifeOnly }, { terms: group }], listed);
      expect(['2026-04-30', '2026-05-01'].map((day) => managerOn(at, day))).toEqual(['A-1001', 'G-RM-1']);
    }
  });
});

describe('mayBeTopStrategic', () => {
  const holding = (annualStandardPremium: string, status?: 'cancelled') => ({
    terms: [year('2026-02-01', annualStandardPremium)], statusChanges: status ? [{ effectiveDate: '2026-02-01', status, reportedAt: '2026-02-02T00:00:00Z' }] : [],
  });

  it('given policies that reach the threshold only counted together, in force or not, then the party may have been top-strategic', () => {
    expect(mayBeTopStrategic([holding('300000.00'), holding('300000.00', 'cancelled')])).toBe(true);
  });

  it('given a policy renewed at a larger premium, then it is counted at its largest term', () => {
    const renewed = { terms: [...holding('100000.00').terms, { effectiveDate: '2027-02-01', expiryDate: '2028-01-31', annualStandardPremium: '300000.00' }] };
    expect(mayBeTopStrategic([holding('300000.00'), renewed])).toBe(true);
  });

  it('given a policy endorsed up and then down, then it is counted at the largest premium it reached', () => {
    const endorsements = [{ effectiveDate: '2026-09-01', annualStandardPremiumDelta: '-150000.00' }, { effectiveDate: '2026-06-01', annualStandardPremiumDelta: '100000.00' }];
    expect(mayBeTopStrategic([holding('300000.00'), { terms: [{ ...year('2026-02-01', '100000.00'), endorsements }] }])).toBe(true);
    expect(mayBeTopStrategic([holding('300000.00'), { terms: [{ ...year('2026-02-01', '100000.00'), endorsements: endorsements.slice(0, 1) }] }])).toBe(false);
  });

  it('given policies that stay below it even counted together, then it was top-strategic at no moment', () => {
    expect(mayBeTopStrategic([holding('300000.00'), holding('100000.00')])).toBe(false);
  });
});
