/**
 * The unified 360° client view (DOMAIN.md, 003): stored as JSON by the read
 * model and served by GET /v1/clients/{partyId}. Identity hashes never appear.
 */
import { ConsentState, LinkMethod, PartyKind, Subsidiary } from './identity.types';
import { GoldenProfile, GoldenValue } from './survivorship';
import { ClientTier } from './tier';

export type HoldingStatus = 'in-force' | 'lapsed' | 'cancelled' | 'expired';
export type HoldingRole = 'holder' | 'insured' | 'beneficiary';

export interface Money {
  amount: string;
  currency: string;
  mode: string;
}

/** A policy fact as the holdings projection resolved it to this party. */
export interface HoldingFact {
  subsidiary: Subsidiary;
  policyNo: string;
  productCode: string;
  productLine: string;
  role: HoldingRole;
  status: HoldingStatus;
  premium: Money;
  annualStandardPremium: string;
  sellingAgentId: string | null;
  servicingAgentId: string | null;
  effectiveDate: string;
  expiryDate: string | null;
}

export type ClaimStatus = 'reported' | 'settled' | 'rejected' | 'withdrawn';
export interface ClaimFact {
  subsidiary: Subsidiary;
  claimId: string;
  policyNo: string;
  status: ClaimStatus;
  reportedAt: string;
  paidAmount: string | null;
}

/** "from is <type> of to": Zhang (from) is the spouse / child / beneficiary of Li (to). */
export type RelationshipType = 'spouse' | 'child' | 'parent' | 'beneficiary' | 'insured' | 'employee-of' | 'officer-of';
export type RelationshipRole = RelationshipType | 'has-beneficiary' | 'has-insured' | 'employer-of' | 'has-officer';

export interface RelationshipFact {
  relationshipId: string;
  subsidiary: Subsidiary;
  type: RelationshipType;
  fromPartyId: string;
  toPartyId: string;
  declaredAt: string;
}

export interface ProductLineRef {
  subsidiary: Subsidiary;
  productLine: string;
}

export interface SourceProfile {
  name: string;
  gender: 'M' | 'F' | null;
  birthDate: string | null;
  phones: string[];
  emails: string[];
  address: string | null;
  creditCode: string | null;
  industry: string | null;
  size: string | null;
  asOf: string;
}

export type IdentityView =
  | {
      redacted: false;
      subsidiary: Subsidiary;
      localId: string;
      identity: { type: string; masked: string } | null;
      method: LinkMethod;
      score: number | null;
      linkedAt: string;
      consent: ConsentState | null;
      profile: SourceProfile;
    }
  /** Without consent another subsidiary learns only that the client exists there. */
  | { redacted: true; subsidiary: Subsidiary; relationshipExists: true };

export type Redacted = { redacted: true };
export type ProfileView = { [F in keyof GoldenProfile]: GoldenProfile[F] | Redacted };
export type { GoldenValue };

export interface HoldingSummary {
  subsidiary: Subsidiary;
  productLine: string;
  policies: number;
  inForce: number;
  annualStandardPremium: string;
}

export interface ClaimsSummary {
  total: number;
  open: number;
  settled: number;
  paidAmount: string;
  bySubsidiary: { subsidiary: Subsidiary; total: number; open: number; paidAmount: string }[];
}

export interface ServicingAgentView {
  subsidiary: Subsidiary;
  agentId: string;
  policyNos: string[];
}

export interface RelationshipView {
  relationshipId: string;
  role: RelationshipRole;
  direction: 'outgoing' | 'incoming';
  otherPartyId: string;
  subsidiary: Subsidiary;
  declaredAt: string;
}

export interface ClientView {
  partyId: string;
  kind: PartyKind;
  status: 'active' | 'merged';
  mergedInto: string | null;
  asOf: string;
  subsidiaries: Subsidiary[];
  identities: IdentityView[];
  profile: ProfileView;
  holdings: HoldingFact[];
  holdingsSummary: HoldingSummary[];
  claims: ClaimFact[];
  claimsSummary: ClaimsSummary;
  servicingAgents: ServicingAgentView[];
  relationships: RelationshipView[];
  tier: { tier: ClientTier; annualStandardPremium: string | null };
  openReferralIds: string[];
  openConflictIds: string[];
  productLines: { held: ProductLineRef[]; notHeld: ProductLineRef[] };
  /** Subsidiaries whose data this viewer may not see (empty for the unredacted view). */
  redactedSubsidiaries: Subsidiary[];
}
