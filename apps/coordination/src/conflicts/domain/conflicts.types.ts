// Value types shared by referrals, detection and resolution. Kept local to the domain so it stays
// framework-free; they are plain strings on the wire, so @lib/contracts can alias them later.
export type Subsidiary = 'life' | 'pnc' | 'group';
/** A subsidiary's channel code: AGENCY, BROKER, DIRECT, BANCASSURANCE, TELESALES, GROUP... */
export type Channel = string;
/** A product line code such as MOTOR, GROUP_HEALTH, WHOLE_LIFE. */
export type ProductLine = string;
/** ISO-8601 with an explicit offset or Z; the domain never reads the wall clock. */
export type IsoTimestamp = string;
/** Decimal amount as a string: money is never a float. */
export type DecimalString = string;

/** Conflicts about approaches that name no product line (a visit, a call) use this line. */
export const ANY_PRODUCT_LINE = '*';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

export interface Claimant {
  readonly subsidiary: Subsidiary;
  readonly channel: Channel;
  readonly agentId: string;
  readonly referralId?: string;
  readonly registeredAt?: IsoTimestamp;
  readonly price?: DecimalString;
}

export type ConflictKind =
  | 'duplicate-registration'
  | 'policy-vs-registration'
  | 'servicing-relationship'
  | 'strategic-account'
  | 'channel-quote-clash';

export const CONFLICT_KINDS: readonly ConflictKind[] = [
  'duplicate-registration',
  'policy-vs-registration',
  'servicing-relationship',
  'strategic-account',
  'channel-quote-clash',
];

export interface DetectedConflict {
  readonly kind: ConflictKind;
  readonly partyId: string;
  readonly productLine: ProductLine;
  readonly claimants: readonly Claimant[];
  /** Why the rule fired, JSON-safe so it can be stored in the event and shown to a coordinator. */
  readonly evidence: { readonly reason: string; readonly [k: string]: JsonValue };
  /** What crediting will attach the decision to. */
  readonly subject?: { readonly policyNo?: string; readonly referralId?: string };
}

/** A claimant is one agent of one subsidiary; the channel describes how they approached. */
export function claimantKey(c: { subsidiary: Subsidiary; agentId: string }): string {
  return `${c.subsidiary}:${c.agentId}`;
}
