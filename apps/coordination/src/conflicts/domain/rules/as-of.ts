import { Channel, DetectedConflict, IsoTimestamp, ProductLine, Subsidiary } from '../conflicts.types';
import { toMs } from '../time';
import { byRegisteredAt } from './claimants';
import { detectConflicts, conflictKey } from './detect';
import type { ScopeApproach } from './approaches-as-of';
import type { ScopeQuote } from './quotes-as-of';
import { ConflictFacts, DEFAULT_DETECTION_CONFIG, DetectionConfig, InForcePolicy, LiveRegistration, PartyProfile } from './facts';

/**
 * Kafka orders events per partition only, so a party's registrations and policies reach us in any
 * order. Conflicts are therefore judged by business time: what stood when each registration was
 * filed, whatever arrived first. These are the facts of one party and product line, all of them.
 */
export interface ScopeRegistration extends LiveRegistration {
  /** When the registration stopped holding the line in business time (converted by a sale, lost). */
  readonly closedAt?: IsoTimestamp | null;
}

export interface ScopePolicy extends InForcePolicy {
  /** Absent for policies recorded before issue times were kept: they count as always in force. */
  readonly issuedAt?: IsoTimestamp | null;
  /**
   * The policy as it stood at a moment by the portfolio's business dates: undefined on a day it was not in
   * force (cancelled, lapsed, between or after its terms; issued and not yet effective counts), else with
   * the agent servicing it that day. Absent: in force as it stands now at every moment it was issued by.
   */
  readonly asOf?: (at: IsoTimestamp) => InForcePolicy | undefined;
}

/** A sale of the party in this line, whatever its status now: a sale that bypassed a registration stays one when cancelled. */
export interface ScopeSale {
  readonly policyNo: string;
  /** The subsidiary whose product was sold. */
  readonly productSubsidiary: Subsidiary;
  /** The seller's own subsidiary (a life agent may sell a P&C product). */
  readonly sellingSubsidiary: Subsidiary;
  readonly sellingAgentId: string;
  readonly channel: Channel;
  readonly servicingAgentId: string;
  readonly issuedAt: IsoTimestamp;
  /** The referral the subsidiary named on the sale, if any. */
  readonly referralId: string | null;
  /** The referral the sale converted (named, or by party and line), if any. */
  readonly convertedReferralId: string | null;
}

export interface ScopeFacts {
  readonly partyId: string;
  readonly productLine: ProductLine;
  readonly registrations: readonly ScopeRegistration[];
  readonly policies: readonly ScopePolicy[];
  /** Absent: sales are not judged (callers that only reconcile registrations). */
  readonly sales?: readonly ScopeSale[];
  /** Absent: quotes are not judged. */
  readonly quotes?: readonly ScopeQuote[];
  /** Other approaches (visits, calls...) in this line, or naming none in the `*` scope; absent: not judged. */
  readonly approaches?: readonly ScopeApproach[];
  /** The party now. */
  readonly party?: PartyProfile;
  /** The party as it stood at a moment (its tier and relationship team then); absent: `party` stands for every moment. */
  readonly partyAt?: (at: IsoTimestamp) => PartyProfile | undefined;
}

/** The party as it stood at `at` in business time, as far as the scope knows its history. */
export const partyAsOf = (scope: ScopeFacts, at: IsoTimestamp): PartyProfile | undefined => (scope.partyAt ? scope.partyAt(at) : scope.party);

/** Conflicts a registration raises; decided by the facts as they stood when it was filed. */
export const REGISTRATION_CONFLICT_KINDS: readonly DetectedConflict['kind'][] = ['duplicate-registration', 'servicing-relationship', 'strategic-account'];

const strip = ({ closedAt: _closed, ...r }: ScopeRegistration): LiveRegistration => r;
const stripPolicy = ({ issuedAt: _issued, asOf: _asOf, ...p }: ScopePolicy): InForcePolicy => p;

/**
 * The party's policies as they stood at `at`: issued by then and in force that day, each serviced by the
 * agent of that day (a cancellation, lapse or hand-out dated after it changes none of them); `exceptPolicyNo`
 * leaves one out (a sale judged against the others).
 */
export function policiesAt(policies: readonly ScopePolicy[], at: IsoTimestamp, exceptPolicyNo?: string): InForcePolicy[] {
  const ms = toMs(at);
  return policies
    .filter((p) => p.policyNo !== exceptPolicyNo && (!p.issuedAt || toMs(p.issuedAt) <= ms))
    .flatMap((p) => {
      const stood = p.asOf ? p.asOf(at) : stripPolicy(p);
      return stood ? [stood] : [];
    });
}

/**
 * The facts as they stood at `at`, for a fact that is not itself a registration (a quote, an
 * approach): the registrations holding then, the policies in force then, the party then.
 */
export function factsAt(scope: ScopeFacts, at: IsoTimestamp): ConflictFacts {
  const ms = toMs(at);
  const party = partyAsOf(scope, at);
  return {
    registrations: scope.registrations.filter((r) => toMs(r.registeredAt) <= ms && holdsAt(r, ms)).map(strip),
    policies: policiesAt(scope.policies, at),
    quotes: [],
    ...(party ? { party } : {}),
  };
}

/** Filed before `reg` in business time; the same instant is broken by referral id so exactly one of two goes first. */
const filedBefore = (other: LiveRegistration, reg: LiveRegistration): boolean =>
  byRegisteredAt(other, reg) < 0;

const holdsAt = (r: ScopeRegistration, at: number): boolean => !r.closedAt || toMs(r.closedAt) > at;

/** The facts as they stood when `reg` was filed: earlier registrations still holding, policies in force then, the party's tier then. */
export function factsWhenFiled(scope: ScopeFacts, reg: ScopeRegistration): ConflictFacts {
  const at = toMs(reg.registeredAt);
  const earlier = scope.registrations.filter((r) => r.referralId !== reg.referralId && filedBefore(r, reg) && holdsAt(r, at));
  const party = partyAsOf(scope, reg.registeredAt);
  return {
    registrations: [...earlier.map(strip), strip(reg)],
    policies: policiesAt(scope.policies, reg.registeredAt),
    quotes: [],
    ...(party ? { party } : {}),
  };
}

export interface ExpectedConflict {
  readonly key: string;
  readonly conflict: DetectedConflict;
  /** The snapshot stored with the conflict and judged by the precedence. */
  readonly facts: ConflictFacts;
  /** The sale's product subsidiary, for a conflict a sale raised (the side its decision is sent to). */
  readonly productSubsidiary?: Subsidiary;
}

/**
 * Every conflict the party's registrations in this line raise, each judged as of its filing:
 * a pure function of the set of facts, so the same set gives the same conflicts in any arrival order.
 */
export function registrationConflicts(scope: ScopeFacts, config: DetectionConfig = DEFAULT_DETECTION_CONFIG): ExpectedConflict[] {
  return [...scope.registrations].sort(byRegisteredAt).flatMap((reg) => {
    const facts = factsWhenFiled(scope, reg);
    return detectConflicts({ kind: 'registration', registration: strip(reg) }, facts, config)
      .filter((c) => REGISTRATION_CONFLICT_KINDS.includes(c.kind))
      .map((conflict) => ({ key: conflictKey(conflict), conflict, facts }));
  });
}

export interface RecordedScopeConflict {
  readonly conflictId: string;
  readonly key: string;
  readonly status: string;
}

export interface ScopePlan {
  /** Recorded conflicts the facts no longer support (a late-arriving earlier fact changed the picture). */
  readonly supersede: readonly (RecordedScopeConflict & { readonly replacedBy: readonly string[] })[];
  /** Conflicts the facts support that are not recorded yet. */
  readonly detect: readonly ExpectedConflict[];
}

/**
 * What to append so the recorded conflicts match the expected ones: new ones detected, stale ones
 * superseded (never deleted: the history stays append-only and shows the first decision and why it
 * was replaced). A superseded conflict the facts support again is detected again.
 */
export function reconcileScope(expected: readonly ExpectedConflict[], recorded: readonly RecordedScopeConflict[]): ScopePlan {
  const live = recorded.filter((r) => r.status !== 'superseded');
  const liveKeys = new Set(live.map((r) => r.key));
  const expectedKeys = new Set(expected.map((e) => e.key));
  const detect = expected.filter((e) => !liveKeys.has(e.key));
  const supersede = live
    .filter((r) => !expectedKeys.has(r.key))
    .map((r) => ({ ...r, replacedBy: detect.map((d) => d.key) }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return { supersede, detect };
}
