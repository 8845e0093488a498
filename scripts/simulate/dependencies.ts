/**
 * Which entities a request creates and which it needs to exist first, derived from the
 * request itself (route and body) rather than declared by the generator: the unit tests
 * use it to check that the plan sends prerequisites in earlier waves than their dependants.
 */
import type { Subsidiary } from '@lib/contracts';
import type { PlannedRequest } from './types';

export const keys = {
  client: (sub: Subsidiary, localId: string) => `${sub}:client:${localId}`,
  agent: (sub: Subsidiary, agentId: string) => `${sub}:agent:${agentId}`,
  policy: (sub: Subsidiary, policyNo: string) => `${sub}:policy:${policyNo}`,
  claim: (sub: Subsidiary, claimNo: string) => `${sub}:claim:${claimNo}`,
  referral: (referralId: string) => `referral:${referralId}`,
};

type Body = Record<string, any>;

export function providesOf(r: PlannedRequest): string | null {
  const b = r.body as Body;
  const sub = r.service as Subsidiary;
  switch (r.kind) {
    case 'RegisterClient':
      return keys.client(sub, b.localId);
    case 'OnboardAgent':
      return keys.agent(sub, b.agentId);
    case 'IssuePolicy':
      return keys.policy(sub, b.policyNo);
    case 'ReportClaim':
      return keys.claim(sub, b.claimNo);
    case 'RegisterReferral':
      return keys.referral(b.referralId);
    default:
      return null;
  }
}

export function needsOf(r: PlannedRequest): string[] {
  const b = r.body as Body;
  const sub = r.service as Subsidiary;
  const target = r.target ?? '';
  switch (r.kind) {
    case 'RegisterClient':
      return [];
    case 'UpdateClient':
    case 'ChangeConsent':
      return [keys.client(sub, target)];
    case 'DeclareRelationship':
      return [keys.client(sub, b.fromLocalId), keys.client(sub, b.toLocalId)];
    case 'OnboardAgent':
      return b.leaderId ? [keys.agent(sub, b.leaderId)] : [];
    case 'TransferAgent':
      return [keys.agent(sub, target), ...(b.toLeaderId ? [keys.agent(sub, b.toLeaderId)] : [])];
    case 'TerminateAgent':
      return [keys.agent(sub, target)];
    case 'RegisterReferral':
      return [keys.client(sub, b.clientLocalId), keys.agent(sub, b.referringAgentId)];
    case 'IssuePolicy':
      return issueNeeds(sub, b);
    case 'RenewPolicy':
      return [keys.policy(sub, target), ...(b.servicingAgentId ? [keys.agent(sub, b.servicingAgentId)] : [])];
    case 'EndorsePolicy':
    case 'CancelPolicy':
    case 'LapsePolicy':
    case 'ReinstatePolicy':
      return [keys.policy(sub, target)];
    case 'ReportClaim':
      return [keys.policy(sub, b.policyNo), ...(b.claimantLocalId ? [keys.client(sub, b.claimantLocalId)] : [])];
    case 'SettleClaim':
      return [keys.claim(sub, target)];
    case 'LogActivity':
      return [keys.agent(sub, b.agentId), ...(b.clientLocalId ? [keys.client(sub, b.clientLocalId)] : [])];
    case 'MarkReferralLost':
      return [keys.referral(target)];
  }
}

function issueNeeds(sub: Subsidiary, b: Body): string[] {
  const clients = new Set<string>([b.holderLocalId, ...b.insuredLocalIds, ...(b.beneficiaries ?? []).map((x: Body) => x.localId)]);
  return [
    ...[...clients].map((id) => keys.client(sub, id)),
    keys.agent(sub, b.sellingAgentId),
    keys.agent(sub, b.servicingAgentId),
    ...(b.referralId ? [keys.referral(b.referralId)] : []),
  ];
}
