/**
 * The coordination service's record of the subsidiaries' business facts: agents,
 * policies, claims and sales activities, each resolved to group parties and agents.
 * Identity, conflicts and crediting all read these; none of them owns them.
 */
export type Subsidiary = 'life' | 'pnc' | 'group';

export interface Money {
  amount: string;
  currency: 'CNY';
  mode: string;
}

export interface AgentRecordedData {
  agentId: string;
  subsidiary: Subsidiary;
  name: string;
  channel: string;
  localChannelCode?: string;
  branchId: string;
  teamId: string;
  leaderId: string | null;
  joinedAt: string;
  specialistFor: string[];
}

export interface PartyRef {
  localId: string;
  partyId: string | null;
}

export interface PolicyRecordedData {
  subsidiary: Subsidiary;
  policyNo: string;
  partyId: string;
  holderLocalId: string;
  insured: PartyRef[];
  beneficiaries: Array<PartyRef & { sharePct: number }>;
  productCode: string;
  productLine: string;
  premium: Money;
  standardPremium: string | null;
  effectiveDate: string;
  expiryDate: string;
  sellingAgentId: string;
  sellingSubsidiary: Subsidiary;
  sellingChannel: string;
  servicingAgentId: string;
  channel: string;
  localChannelCode?: string;
  referralId: string | null;
  productSpecialistId: string | null;
  quotedPrice: string | null;
  issuedAt: string;
}

export type PolicyStatus = 'in-force' | 'cancelled' | 'lapsed';

export type PortfolioEvent =
  | { type: 'AgentRecorded'; data: AgentRecordedData }
  | { type: 'AgentTransferRecorded'; data: { agentId: string; toBranchId: string; toTeamId: string; toLeaderId: string | null; effectiveDate: string } }
  | { type: 'AgentTerminationRecorded'; data: { agentId: string; effectiveDate: string; reason: string } }
  | { type: 'PolicyRecorded'; data: PolicyRecordedData }
  | {
      type: 'PolicyRenewalRecorded';
      data: {
        subsidiary: Subsidiary; policyNo: string; partyId: string; newEffectiveDate: string; newExpiryDate: string; premium: Money; standardPremium: string | null; servicingAgentId: string;
        /** The policy's status after it by business date, as the row has it (see policy-status `currentStatus`); absent on events recorded before it was kept. */
        policyStatus?: PolicyStatus;
      };
    }
  | {
      type: 'PolicyEndorsementRecorded';
      data: { subsidiary: Subsidiary; policyNo: string; partyId: string; endorsementNo: string | null; effectiveDate: string; premiumDelta: string; standardPremiumDelta: string | null; reason: string };
    }
  | {
      type: 'PolicyStatusChanged';
      data: {
        subsidiary: Subsidiary; policyNo: string; partyId: string; from: PolicyStatus; to: PolicyStatus; cause: 'cancelled' | 'lapsed' | 'reinstated'; effectiveDate: string; reason: string | null; refund: string | null;
        /**
         * The policy's status after it by business date, as the row has it (see policy-status `currentStatus`): `to`, unless a
         * renewed term starts after its date (in force). Absent on events recorded before it was kept (`to` stood).
         */
        policyStatus?: PolicyStatus;
      };
    }
  | {
      type: 'PolicyServicingReassigned';
      data: { subsidiary: Subsidiary; policyNo: string; partyId: string; fromAgentId: string; toAgentId: string; rule: string; effectiveDate: string };
    }
  | { type: 'ClaimRecorded'; data: { subsidiary: Subsidiary; policyNo: string; partyId: string; claimNo: string; reportedAt: string; amountClaimed: string } }
  | { type: 'ClaimSettlementRecorded'; data: { subsidiary: Subsidiary; policyNo: string; partyId: string; claimNo: string; settledAt: string; amountPaid: string } }
  | {
      type: 'ActivityRecorded';
      data: { activityId: string; agentId: string; agentSubsidiary: Subsidiary; channel: string; partyId: string | null; kind: string; at: string; productLine: string | null; quotedPrice: string | null };
    };

export type PortfolioEventType = PortfolioEvent['type'];

/** A recorded renewal as the portfolio shares it with the handlers after it, with whom the policy was serviced by before it. */
export type PolicyRenewalShared = Extract<PortfolioEvent, { type: 'PolicyRenewalRecorded' }>['data'] & { previousServicingAgentId: string };
/**
 * Shared as 'policyServicer' with a policy the portfolio recorded: its servicing agent as the issue read it, with the
 * termination's effective date once they left (crediting's orphan handler needs no second read of the agent).
 */
export interface PolicyServicerShared {
  agentId: string;
  terminatedOn: string | null;
}
export const PORTFOLIO_EVENT_TYPES: PortfolioEventType[] = [
  'AgentRecorded', 'AgentTransferRecorded', 'AgentTerminationRecorded', 'PolicyRecorded', 'PolicyRenewalRecorded',
  'PolicyEndorsementRecorded', 'PolicyStatusChanged', 'PolicyServicingReassigned', 'ClaimRecorded', 'ClaimSettlementRecorded',
  'ActivityRecorded',
];

/**
 * Set in an inbound event's shared context by crediting's orphan handler (a `ServicingChanged[]`): the
 * policies whose servicing agent by business date changed in the event's transaction (a hand-out, a renewal
 * naming a new agent, a renewal that no longer counts), for the handlers after it that judge who serviced a
 * policy on a date.
 */
export const SERVICING_CHANGED_KEY = 'servicingChanged';
export interface ServicingChanged {
  readonly subsidiary: string;
  readonly policyNo: string;
  readonly partyId: string;
}

export const agentStreamId = (agentId: string) => `agent-${agentId}`;
export const policyStreamId = (subsidiary: string, policyNo: string) => `policy-${subsidiary}-${policyNo}`;
export const activityStreamId = (partyId: string | null, agentId: string) => (partyId ? `activity-${partyId}` : `activity-agent-${agentId}`);
