import { ANY_PRODUCT_LINE } from '../conflicts.types';
import { PARTY, facts, quote, registration, topStrategic } from '../testing/fixtures';
import { DEFAULT_DETECTION_CONFIG, NewFact, PartyProfile } from './facts';
import { detectStrategicAccount } from './strategic-account.rule';

const detect = (fact: NewFact, party: PartyProfile | null = topStrategic()) =>
  detectStrategicAccount(fact, facts(party ? { party } : {}), DEFAULT_DETECTION_CONFIG);
const outsider = registration({ subsidiary: 'pnc', channel: 'BROKER', agentId: 'P-9' });

describe('rule: strategic-account', () => {
  it('given a top-strategic client, when an outsider registers, then the relationship manager and the outsider are claimants', () => {
    const [conflict] = detect({ kind: 'registration', registration: outsider });
    expect(conflict).toMatchObject({ kind: 'strategic-account', partyId: PARTY, productLine: 'MOTOR', evidence: { via: 'registration' } });
    expect(conflict.claimants.map((c) => c.agentId)).toEqual(['G-RM-1', 'P-9']);
  });

  it('given a top-strategic client, when an outsider quotes or logs a visit with no line, then conflicts with the quote line or any line', () => {
    expect(detect({ kind: 'quote', quote: quote({ agentId: 'G-9' }) })[0]).toMatchObject({ productLine: 'GROUP_HEALTH' });
    const visit: NewFact = { kind: 'activity', activity: { partyId: PARTY, subsidiary: 'life', channel: 'AGENCY', agentId: 'A-7', at: '2026-03-01T00:00:00Z' } };
    expect(detect(visit)[0]).toMatchObject({ productLine: ANY_PRODUCT_LINE, evidence: { via: 'activity' } });
  });

  it('given a top-strategic client, when a team member (same subsidiary and agent id) registers, then no conflict', () => {
    expect(detect({ kind: 'registration', registration: registration({ subsidiary: 'life', agentId: 'A-1001' }) })).toEqual([]);
  });

  it('given a team member id used by another subsidiary, when that other agent registers, then it is a conflict', () => {
    expect(detect({ kind: 'registration', registration: registration({ subsidiary: 'pnc', agentId: 'A-1001' }) })).toHaveLength(1);
  });

  it('given a mid-strategic or unknown client, when an outsider registers, then no conflict', () => {
    expect(detect({ kind: 'registration', registration: outsider }, topStrategic({ tier: 'MID_STRATEGIC' }))).toEqual([]);
    expect(detect({ kind: 'registration', registration: outsider }, null)).toEqual([]);
  });
});
