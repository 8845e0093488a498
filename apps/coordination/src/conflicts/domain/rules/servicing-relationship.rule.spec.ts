import { facts, inForce, registration } from '../testing/fixtures';
import { DEFAULT_DETECTION_CONFIG, InForcePolicy } from './facts';
import { detectServicingRelationship } from './servicing-relationship.rule';

const reg = registration({ subsidiary: 'life', agentId: 'A-1001', productLine: 'MOTOR' });
const detect = (policies: InForcePolicy[]) =>
  detectServicingRelationship({ kind: 'registration', registration: reg }, facts({ policies }), DEFAULT_DETECTION_CONFIG);

describe('rule: servicing-relationship', () => {
  it('given an in-force MOTOR policy serviced by a P&C agent, when a life agent registers MOTOR for the party, then servicer vs registrant', () => {
    const [conflict] = detect([inForce({ servicingAgentId: 'P-2001' }), inForce({ policyNo: 'PP-OLD-2', servicingAgentId: 'P-2001' })]);
    expect(conflict).toMatchObject({ kind: 'servicing-relationship', evidence: { policyNos: ['PP-OLD-1', 'PP-OLD-2'] } });
    expect(conflict.claimants).toEqual([
      { subsidiary: 'pnc', channel: 'AGENCY', agentId: 'P-2001' },
      { subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001', referralId: 'R-1', registeredAt: reg.registeredAt },
    ]);
  });

  it('given the in-force policy is serviced by the registrant, when they register, then no conflict', () => {
    expect(detect([inForce({ subsidiary: 'life', servicingAgentId: 'A-1001' })])).toEqual([]);
  });

  it('given only policies in other lines or for other parties, when registering, then no conflict', () => {
    expect(detect([inForce({ productLine: 'HOME' }), inForce({ partyId: 'P-other' })])).toEqual([]);
  });
});
