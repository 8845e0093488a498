/** One-line meanings and message-key rules per event type, for the generated AsyncAPI document. */
import type { EventType } from '../registry';

export const EVENT_SUMMARIES: Record<EventType, string> = {
  ClientRegistered: 'A subsidiary registered a client (person or organization); identity number protected (hash + mask).',
  ClientUpdated: "A subsidiary's full current snapshot of a client (PUT semantics: absent optional fields are no longer held).",
  ConsentChanged: 'A client gave or withdrew consent for a scope; group-sharing gates sharing data across subsidiaries.',
  RelationshipDeclared: 'fromLocalId is <kind> of toLocalId (spouse, child, parent, beneficiary, insured, employee-of, officer-of).',
  AgentOnboarded: 'An agent joined a branch and team, in a group channel.',
  AgentTransferred: 'An agent moved to another branch, team or leader from effectiveDate.',
  AgentTerminated: "An agent left; the agent's clients and renewals become orphans for reassignment.",
  ReferralRegistered: 'A lead registered by the selling side for another subsidiary\'s product line; first valid registration wins conflicts.',
  PolicyIssued: 'A policy was issued; carries product line, premium, standard premium, selling/servicing agents and referral.',
  PolicyRenewed: 'A policy was renewed for a new term; renewal credit follows the servicing agent.',
  PolicyEndorsed: 'A policy was changed mid-term; premiumDelta is the signed premium change.',
  PolicyCancelled: 'A policy was cancelled from effectiveDate (credit may be clawed back).',
  PolicyLapsed: 'A policy lapsed for non-payment from effectiveDate.',
  PolicyReinstated: 'A lapsed or cancelled policy was reinstated.',
  ClaimReported: 'A claim was reported against a policy.',
  ClaimSettled: 'A claim was settled; amountPaid "0.00" for a declined claim.',
  ActivityLogged: 'A sales activity (call, visit, meeting, quote, seminar), optionally with a quoted price.',
  ConflictResolved: 'The coordination service decided a channel conflict: who is credited with which share.',
  ConflictSuperseded: 'A decided conflict was superseded (a fact from earlier in business time arrived late): its decision no longer applies.',
  ReferralStatusChanged: 'A referral moved along the pipeline (registered, accepted, quoted, converted, lost, expired).',
  CreditNotice: 'A dual-side KPI credit, clawback, adjustment or reassignment in standard premium.',
};

const CLIENT_KEY =
  'idh:<identity.hash> for a person with an identity document (the same key on all three subsidiary topics, so one ' +
  "person's events are co-partitioned), else <subsidiary>:client:<localId>";
const CLIENT_REF_KEY = "the named client's key, as for ClientRegistered (the service looks up the client's identity hash)";
const POLICY_KEY =
  "the holder's key, as for ClientRegistered (the service looks up the policy's holder): a client's registration, " +
  'its policies and their claims stay in order on one partition';
const AGENT_KEY = '<subsidiary>:agent:<agentId>';

export const KEY_DESCRIPTIONS: Record<EventType, string> = {
  ClientRegistered: CLIENT_KEY,
  ClientUpdated: CLIENT_KEY,
  ConsentChanged: CLIENT_REF_KEY,
  RelationshipDeclared: `${CLIENT_REF_KEY} (fromLocalId)`,
  ReferralRegistered: `${CLIENT_REF_KEY} (clientLocalId)`,
  ActivityLogged: `${CLIENT_REF_KEY} (clientLocalId) when given, else ${AGENT_KEY}`,
  AgentOnboarded: AGENT_KEY,
  AgentTransferred: AGENT_KEY,
  AgentTerminated: AGENT_KEY,
  PolicyIssued: POLICY_KEY,
  PolicyRenewed: POLICY_KEY,
  PolicyEndorsed: POLICY_KEY,
  PolicyCancelled: POLICY_KEY,
  PolicyLapsed: POLICY_KEY,
  PolicyReinstated: POLICY_KEY,
  ClaimReported: POLICY_KEY,
  ClaimSettled: POLICY_KEY,
  ConflictResolved: '<addressee>:conflict:<conflictId>',
  ConflictSuperseded: '<addressee>:conflict:<conflictId>',
  ReferralStatusChanged: '<referringSubsidiary>:referral:<referralId>',
  CreditNotice: '<productSubsidiary>:policy:<policyNo>',
};
