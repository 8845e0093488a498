import type { InboundOperation } from '@lib/contracts';
import type { IntakeOperation } from '../operation';
import { onboardAgent, terminateAgent, transferAgent } from './agent.operations';
import { logActivity, registerReferral, reportClaim, settleClaim } from './claim-sales.operations';
import { changeConsent, declareRelationship, registerClient, updateClient } from './client.operations';
import { cancelPolicy, endorsePolicy, issuePolicy, lapsePolicy, reinstatePolicy, renewPolicy } from './policy.operations';

/** Every intake operation, by the name the contracts give it (INBOUND_OPERATIONS). */
export const OPERATIONS: { readonly [N in InboundOperation]: IntakeOperation } = {
  RegisterClient: registerClient,
  UpdateClient: updateClient,
  ChangeConsent: changeConsent,
  DeclareRelationship: declareRelationship,
  OnboardAgent: onboardAgent,
  TransferAgent: transferAgent,
  TerminateAgent: terminateAgent,
  RegisterReferral: registerReferral,
  IssuePolicy: issuePolicy,
  RenewPolicy: renewPolicy,
  EndorsePolicy: endorsePolicy,
  CancelPolicy: cancelPolicy,
  LapsePolicy: lapsePolicy,
  ReinstatePolicy: reinstatePolicy,
  ReportClaim: reportClaim,
  SettleClaim: settleClaim,
  LogActivity: logActivity,
};
