import { Channel, DecimalString, IsoTimestamp, ProductLine, Subsidiary } from '../conflicts.types';

/** An open referral (registered, accepted or quoted) as the detection rules see it. */
export interface LiveRegistration {
  readonly referralId: string;
  readonly partyId: string;
  readonly productLine: ProductLine;
  readonly subsidiary: Subsidiary;
  readonly channel: Channel;
  readonly agentId: string;
  readonly registeredAt: IsoTimestamp;
  readonly windowEndsAt: IsoTimestamp;
}

export interface InForcePolicy {
  readonly policyNo: string;
  readonly partyId: string;
  readonly productLine: ProductLine;
  readonly subsidiary: Subsidiary;
  readonly channel: Channel;
  readonly servicingAgentId: string;
}

export type PartyTier = 'TOP_STRATEGIC' | 'MID_STRATEGIC' | 'NON_STRATEGIC';

export interface RelationshipTeam {
  /** The dedicated relationship manager: the claimant when the team defends the account. */
  readonly manager: { readonly subsidiary: Subsidiary; readonly channel: Channel; readonly agentId: string };
  /** Agent ids repeat across subsidiaries, so members are named with their subsidiary. */
  readonly members: readonly { readonly subsidiary: Subsidiary; readonly agentId: string }[];
}

export interface PartyProfile {
  readonly partyId: string;
  readonly tier: PartyTier;
  readonly relationshipTeam?: RelationshipTeam;
}

export interface RecentQuote {
  readonly partyId: string;
  readonly productLine: ProductLine;
  readonly subsidiary: Subsidiary;
  readonly channel: Channel;
  readonly agentId: string;
  readonly quotedAt: IsoTimestamp;
  readonly price?: DecimalString;
}

export interface IssuedPolicy extends InForcePolicy {
  readonly sellingAgentId: string;
  readonly issuedAt: IsoTimestamp;
  readonly referralId?: string | null;
}

export interface ApproachActivity {
  readonly partyId: string;
  readonly subsidiary: Subsidiary;
  readonly channel: Channel;
  readonly agentId: string;
  readonly at: IsoTimestamp;
  readonly productLine?: ProductLine;
}

/** What the wiring loads for one party (and line) before running the rules; also the snapshot stored with a conflict. */
export interface ConflictFacts {
  readonly registrations: readonly LiveRegistration[];
  readonly policies: readonly InForcePolicy[];
  readonly party?: PartyProfile;
  readonly quotes: readonly RecentQuote[];
}

export type NewFact =
  | { readonly kind: 'registration'; readonly registration: LiveRegistration }
  | { readonly kind: 'policy-issued'; readonly policy: IssuedPolicy }
  | { readonly kind: 'quote'; readonly quote: RecentQuote }
  | { readonly kind: 'activity'; readonly activity: ApproachActivity };

export type ChannelClass = 'direct' | 'intermediary';

export interface DetectionConfig {
  /** How far back a quote from another channel still counts as the same pursuit. */
  readonly quoteClashWindowDays: number;
  /** Channel codes not listed are not compared: an unknown channel is no evidence of a clash. */
  readonly channelClasses: Readonly<Record<Channel, ChannelClass>>;
}

export const DEFAULT_DETECTION_CONFIG: DetectionConfig = {
  quoteClashWindowDays: 30,
  channelClasses: {
    DIRECT: 'direct',
    TELESALES: 'direct',
    ONLINE: 'direct',
    AGENCY: 'intermediary',
    BROKER: 'intermediary',
    BANCASSURANCE: 'intermediary',
  },
};
