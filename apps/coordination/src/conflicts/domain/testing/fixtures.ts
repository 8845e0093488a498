// Test-only builders: each returns a valid fact; a test overrides just the fields its scenario is about.
import { ConflictFacts, InForcePolicy, IssuedPolicy, LiveRegistration, PartyProfile, RecentQuote } from '../rules/facts';

export const PARTY = 'P-0001';

export const registration = (over: Partial<LiveRegistration> = {}): LiveRegistration => ({
  referralId: 'R-1',
  partyId: PARTY,
  productLine: 'MOTOR',
  subsidiary: 'life',
  channel: 'AGENCY',
  agentId: 'A-1001',
  registeredAt: '2026-03-01T09:00:00Z',
  windowEndsAt: '2026-03-31T09:00:00Z',
  ...over,
});

export const inForce = (over: Partial<InForcePolicy> = {}): InForcePolicy => ({
  policyNo: 'PP-OLD-1',
  partyId: PARTY,
  productLine: 'MOTOR',
  subsidiary: 'pnc',
  channel: 'AGENCY',
  servicingAgentId: 'P-2001',
  ...over,
});

export const issued = (over: Partial<IssuedPolicy> = {}): IssuedPolicy => ({
  ...inForce({ policyNo: 'PP-2026-1' }),
  sellingAgentId: 'P-2001',
  issuedAt: '2026-03-10T10:00:00Z',
  referralId: null,
  ...over,
});

export const quote = (over: Partial<RecentQuote> = {}): RecentQuote => ({
  partyId: PARTY,
  productLine: 'GROUP_HEALTH',
  subsidiary: 'group',
  channel: 'DIRECT',
  agentId: 'G-3001',
  quotedAt: '2026-03-05T10:00:00Z',
  ...over,
});

export const topStrategic = (over: Partial<PartyProfile> = {}): PartyProfile => ({
  partyId: PARTY,
  tier: 'TOP_STRATEGIC',
  relationshipTeam: {
    manager: { subsidiary: 'group', channel: 'GROUP', agentId: 'G-RM-1' },
    members: [{ subsidiary: 'life', agentId: 'A-1001' }],
  },
  ...over,
});

export const facts = (over: Partial<ConflictFacts> = {}): ConflictFacts => ({
  registrations: [],
  policies: [],
  quotes: [],
  ...over,
});
