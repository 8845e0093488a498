import { Channel, PaymentMode, ProductLine, Subsidiary } from './rule-set';

/** How a channel-conflict decision reshapes the sales-side credit of one transaction. */
export type ConflictDecision =
  | { readonly kind: 'award'; readonly agentId: string }
  | { readonly kind: 'split'; readonly shares: readonly { readonly agentId: string; readonly percent: string }[] }
  | { readonly kind: 'reject-both' };

export type PolicyTransactionKind = 'Issued' | 'Renewed' | 'Endorsed' | 'Cancelled' | 'Lapsed' | 'Reinstated';

/**
 * The domain's view of a policy event (the wiring maps PolicyIssued, PolicyRenewed, ... onto it).
 * For Cancelled/Lapsed/Reinstated `effectiveDate` is the date the change takes effect.
 */
export interface PolicyTransaction {
  readonly kind: PolicyTransactionKind;
  /** The source event id: a transaction is credited once. */
  readonly transactionId: string;
  readonly policyNo: string;
  readonly productSubsidiary: Subsidiary;
  readonly productLine: ProductLine;
  readonly premium: { readonly amount: string; readonly mode: PaymentMode };
  /** Endorsed only: the change of the modal premium (may be negative). */
  readonly premiumDelta?: string;
  readonly effectiveDate: string;
  readonly expiryDate: string;
  readonly sellingAgentId: string;
  readonly servicingAgentId: string;
  readonly channel: Channel;
  /** The selling agent's subsidiary. */
  readonly sellingSubsidiary: Subsidiary;
  readonly referralId: string | null;
  readonly productSpecialistId: string | null;
  readonly partyId: string | null;
  readonly conflictDecision?: ConflictDecision;
}

export const isCrediting = (kind: PolicyTransactionKind): boolean =>
  kind === 'Issued' || kind === 'Renewed' || kind === 'Endorsed';
export const isTermination = (kind: PolicyTransactionKind): boolean => kind === 'Cancelled' || kind === 'Lapsed';
