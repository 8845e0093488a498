/**
 * The simulator's vocabulary: a plan is an ordered list of HTTP requests against the
 * public APIs plus the ground truth the generator knows about the group it invented.
 */
import type { Channel, InboundOperation, PremiumMode, ProductLine, Subsidiary } from '@lib/contracts';
import type { Catalogues } from './catalogues';

export type Service = Subsidiary | 'coordination';
/** The key names of `.dev/credentials.json`. */
export type CredentialName = Subsidiary | 'coordinator' | 'auditor' | 'admin';
export type RequestKind = InboundOperation | 'MarkReferralLost';

export interface PlannedRequest {
  /** Position in the plan (also the tie-breaker inside a wave). */
  seq: number;
  /** Requests of one wave run concurrently; a wave starts when the previous one is done. */
  wave: number;
  service: Service;
  /** Which key of the credentials file the request is sent with. */
  as: CredentialName;
  method: 'POST' | 'PUT';
  path: string;
  body: Record<string, unknown>;
  idempotencyKey: string;
  kind: RequestKind;
  /** The path parameter ({localId}, {agentId}, {policyNo}, {claimNo}, {referralId}) when the route has one. */
  target?: string;
}

export interface PlanOptions {
  clients: number;
  agents: number;
  branches: number;
  seed: number;
  months: number;
  /** First day of the simulated period, YYYY-MM-DD; the whole period must lie in the past. */
  start: string;
  catalogues?: Catalogues;
}

export interface RecordRef {
  subsidiary: Subsidiary;
  localId: string;
}

/** One generated person or company and where the group knows it: the identity-resolution truth. */
export interface EntityTruth {
  id: number;
  kind: 'person' | 'organization';
  records: RecordRef[];
  /** Subsidiaries whose policies this entity holds (as policyholder) at any time in the plan. */
  holderSubsidiaries: Subsidiary[];
}

export interface ConflictTruth {
  duplicateRegistration: number;
  policyVsRegistration: number;
  channelQuoteClash: number;
  expectedAutoResolved: number;
  expectedQueued: number;
}

export interface GroundTruth {
  start: string;
  end: string;
  months: number;
  persons: number;
  organizations: number;
  expectedPartyCount: number;
  records: Record<Subsidiary, number> & { total: number; withoutIdentity: number; typoNames: number; traditionalNames: number };
  /** Persons known to exactly 1, 2 and 3 subsidiaries. */
  personsBySubsidiaryCount: [number, number, number];
  holders: number;
  expectedCrossSaleClients: number;
  expectedCrossSaleRate: number;
  /** Sides as `referring->product`. */
  referrals: { registered: number; converted: number; lost: number; bySide: Record<string, number>; convertedBySide: Record<string, number> };
  conflicts: ConflictTruth;
  agents: { total: number; leaders: number; hiredInPeriod: number; transferred: number; terminated: number; byChannel: Record<string, number> };
  policies: {
    issued: number; issuedBeforePeriod: number; renewals: number; endorsements: number; cancellations: number;
    freeLookCancellations: number; lapses: number; reinstatements: number; claimsReported: number; claimsSettled: number;
  };
  /** Policies whose servicing agent left during the period (orphans for reassignment). */
  orphanPolicies: number;
  consents: number;
  relationships: number;
  activities: number;
  clientUpdates: number;
}

export interface Plan {
  options: Omit<PlanOptions, 'catalogues'>;
  requests: PlannedRequest[];
  waves: number;
  truth: GroundTruth;
  entities: EntityTruth[];
}

/** A policy as the generator tracks it until its requests are emitted. */
export interface PolicyDraft {
  subsidiary: Subsidiary;
  policyNo: string;
  productCode: string;
  productLine: ProductLine;
  holderEntity: number;
  holderLocalId: string;
  insuredLocalIds: string[];
  beneficiaries: { localId: string; sharePct: number }[];
  mode: PremiumMode;
  /** Instalment in fen (CNY cents): money never goes through a float string. */
  amountFen: number;
  effectiveDay: number;
  expiryDay: number;
  /** Wave of the issuance request. */
  wave: number;
  sellingAgentId: string;
  servicingAgentId: string;
  channel: Channel;
  localChannelCode: string;
  referralId: string | null;
  /** True for policies issued before the simulated period (they only renew, lapse or claim in it). */
  beforePeriod: boolean;
  /** True when the person or company holding it may claim (not for one-off travel cover, etc.). */
  claimRate: number;
}
