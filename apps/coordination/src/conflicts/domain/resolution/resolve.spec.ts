import { DetectedConflict } from '../conflicts.types';
import { ConflictsDomainError } from '../conflicts.errors';
import { ConflictFacts } from '../rules/facts';
import { facts, inForce, registration, topStrategic } from '../testing/fixtures';
import { detectConflicts } from '../rules/detect';
import { DEFAULT_PRECEDENCE, Precedence, validatePrecedence } from './precedence';
import { resolve } from './resolve';

const only = (kind: DetectedConflict['kind'], conflicts: DetectedConflict[]): DetectedConflict => {
  const found = conflicts.find((c) => c.kind === kind);
  if (!found) throw new Error(`no ${kind} conflict detected`);
  return found;
};

const lifeReg = registration({ referralId: 'R-1', subsidiary: 'life', agentId: 'A-1001', registeredAt: '2026-03-01T09:00:00Z' });
const groupReg = registration({ referralId: 'R-2', subsidiary: 'group', channel: 'GROUP', agentId: 'G-3001', registeredAt: '2026-03-05T09:00:00Z' });

function scenario(given: Partial<ConflictFacts>, newReg = groupReg): { conflict: (k: DetectedConflict['kind']) => DetectedConflict; facts: ConflictFacts } {
  const f = facts(given);
  const conflicts = detectConflicts({ kind: 'registration', registration: newReg }, f);
  return { conflict: (k) => only(k, conflicts), facts: f };
}

describe('resolve with the default precedence', () => {
  it('given an in-force policy serviced by P-2001, when a registrant clashes with the servicer, then servicing-relationship awards the servicer', () => {
    const s = scenario({ policies: [inForce({ servicingAgentId: 'P-2001' })] });
    expect(resolve(s.conflict('servicing-relationship'), s.facts)).toEqual({
      outcome: 'auto-resolved',
      winner: { subsidiary: 'pnc', channel: 'AGENCY', agentId: 'P-2001' },
      decidedByRule: 'servicing-relationship',
    });
  });

  it('given a top-strategic client, when an outsider with a registration clashes with the team, then strategic-account awards the manager', () => {
    const s = scenario({ party: topStrategic() });
    expect(resolve(s.conflict('strategic-account'), s.facts)).toMatchObject({ outcome: 'auto-resolved', winner: { agentId: 'G-RM-1' }, decidedByRule: 'strategic-account' });
  });

  it('given a top-strategic client whose manager is also servicing the line, when a rival registers, then servicing decides before strategic-account', () => {
    const s = scenario({ registrations: [lifeReg], party: topStrategic(), policies: [inForce({ subsidiary: 'life', servicingAgentId: 'A-1001' })] });
    expect(resolve(s.conflict('duplicate-registration'), s.facts)).toMatchObject({ winner: { agentId: 'A-1001' }, decidedByRule: 'servicing-relationship' });
  });

  it('given two registrations days apart and no other facts, when they clash, then first-valid-registration awards the earlier one', () => {
    const s = scenario({ registrations: [lifeReg] });
    expect(resolve(s.conflict('duplicate-registration'), s.facts)).toMatchObject({ winner: { agentId: 'A-1001', referralId: 'R-1' }, decidedByRule: 'first-valid-registration' });
  });

  it('given two registrations at the same instant, when they clash, then no rule decides and it is queued', () => {
    const s = scenario({ registrations: [{ ...lifeReg, registeredAt: groupReg.registeredAt }] });
    expect(resolve(s.conflict('duplicate-registration'), s.facts)).toEqual({ outcome: 'queue', reason: 'no-rule-decided' });
  });

  it('given two claimants who both service the line, when they clash, then servicing abstains and the next rule decides', () => {
    const s = scenario({
      registrations: [lifeReg],
      policies: [inForce({ subsidiary: 'life', servicingAgentId: 'A-1001' }), inForce({ subsidiary: 'group', servicingAgentId: 'G-3001' })],
    });
    expect(resolve(s.conflict('duplicate-registration'), s.facts)).toMatchObject({ decidedByRule: 'first-valid-registration' });
  });

  it('given a channel-quote clash, when resolved, then it always goes to the queue', () => {
    const conflict: DetectedConflict = {
      kind: 'channel-quote-clash', partyId: 'P-0001', productLine: 'GROUP_HEALTH', evidence: { reason: 'x' },
      claimants: [{ subsidiary: 'group', channel: 'DIRECT', agentId: 'G-1' }, { subsidiary: 'group', channel: 'BROKER', agentId: 'G-2' }],
    };
    expect(resolve(conflict, facts())).toEqual({ outcome: 'queue', reason: 'always-queue' });
  });
});

describe('resolve with a configured precedence', () => {
  it('given first-valid-registration first, when a registrant clashes with a servicer, then the registrant wins', () => {
    const s = scenario({ policies: [inForce()] });
    const precedence: Precedence = { order: ['first-valid-registration', 'servicing-relationship'], alwaysQueue: [] };
    expect(resolve(s.conflict('servicing-relationship'), s.facts, precedence)).toMatchObject({ winner: { agentId: 'G-3001' }, decidedByRule: 'first-valid-registration' });
  });

  it('given duplicate registrations configured to always queue, when they clash, then queued even though a rule could decide', () => {
    const s = scenario({ registrations: [lifeReg] });
    expect(resolve(s.conflict('duplicate-registration'), s.facts, { ...DEFAULT_PRECEDENCE, alwaysQueue: ['duplicate-registration'] })).toEqual({ outcome: 'queue', reason: 'always-queue' });
  });

  it('given an empty order, when anything clashes, then it is queued', () => {
    const s = scenario({ registrations: [lifeReg] });
    expect(resolve(s.conflict('duplicate-registration'), s.facts, { order: [], alwaysQueue: [] })).toEqual({ outcome: 'queue', reason: 'no-rule-decided' });
  });

  it('given a precedence with an unknown or repeated rule, when validated, then PRECEDENCE_INVALID', () => {
    const bad = [
      { order: ['servicing-relationship', 'servicing-relationship'], alwaysQueue: [] },
      { order: ['loudest-agent'], alwaysQueue: [] },
      { order: [], alwaysQueue: ['everything'] },
    ] as unknown as Precedence[];
    for (const p of bad) expect(() => validatePrecedence(p)).toThrow(expect.objectContaining({ code: 'PRECEDENCE_INVALID' }) as unknown as ConflictsDomainError);
    expect(validatePrecedence(DEFAULT_PRECEDENCE)).toBe(DEFAULT_PRECEDENCE);
  });
});
