import type { EventMetadata } from '@lib/event-store';
import type { EntityManager } from 'typeorm';
import type { CreditDecision, PartyProfile, Subsidiary } from './domain';

/** Injection tokens of the conflicts feature's seams. */
export const CONFLICTS_PARTY_DIRECTORY = Symbol('CONFLICTS_PARTY_DIRECTORY');
export const CONFLICTS_PARTY_PROFILES = Symbol('CONFLICTS_PARTY_PROFILES');
export const CONFLICT_RESOLUTION_LISTENERS = Symbol('CONFLICT_RESOLUTION_LISTENERS');
export const CONFLICTS_SETTINGS = Symbol('CONFLICTS_SETTINGS');
export const CONFLICTS_SERVICING_REJUDGEMENT = Symbol('CONFLICTS_SERVICING_REJUDGEMENT');

/** What a write needs: the caller's transaction, the metadata to stamp and deterministic ids. */
export interface WriteContext {
  manager: EntityManager;
  metadata: EventMetadata;
  eventId(...qualifiers: string[]): string;
}

/**
 * The slice of identity's PartyDirectory that conflicts uses. Identity's class fits it
 * structurally; the SQL fallback reads the same tables until it is wired.
 */
export interface PartyDirectoryPort {
  partyIdOf(manager: EntityManager, subsidiary: string, localId: string): Promise<string | null>;
}

/** Tier and relationship team of a party, for the strategic-account rule; pluggable. */
export interface PartyProfileSource {
  profileOf(manager: EntityManager, partyId: string): Promise<PartyProfile | undefined>;
  /** The party as it stood at any moment (tier history), when the source knows it; else `profileOf` stands for every moment. */
  timelineOf?(manager: EntityManager, partyId: string): Promise<PartyTimeline | undefined>;
}

/** A policy whose servicing agent by business date changed (the portfolio's ServicingChanged). */
export interface ServicingChange {
  readonly subsidiary: string;
  readonly policyNo: string;
  readonly partyId: string;
}

/**
 * Told, inside the writer's transaction, of the policies whose servicing agent by business date a write
 * outside the inbound pipeline changed (a coordinator's reassignment over REST; the pipeline's own changes
 * reach conflicts under SERVICING_CHANGED_KEY): the approaches judged with the servicer or relationship team
 * of a day since are judged again, as in business order. Idempotent: told twice, it changes nothing more.
 */
export interface ServicingRejudgementPort {
  servicingChanged(changed: readonly ServicingChange[], context: WriteContext): Promise<void>;
}

/** A party's tier history. */
export interface PartyTimeline {
  /** The party as it stood at a moment in business time. */
  readonly at: (at: string) => PartyProfile | undefined;
  /**
   * False when the party was top-strategic at no moment, whatever its policies' statuses: then no
   * strategic-account judgement of its approaches depends on a policy's arrival or status change.
   */
  readonly mayBeTopStrategic: boolean;
}

/**
 * Told, inside the resolving transaction, when a coordinator decides a queued conflict,
 * so crediting re-credits the sale (award or split) atomically with the decision.
 */
export interface ConflictResolutionListener {
  onResolved(decision: ResolvedCreditDecision, context: WriteContext): Promise<void>;
  /**
   * The referral a recorded sale converts changed (it and the registrations travel on different
   * topics): credit it as that referral's sale, or as the seller's own when `link` is null.
   */
  onSaleLinked?(sale: RecordedSale, link: PolicyReferralLink | null, context: WriteContext): Promise<void>;
  /**
   * The decision that governs a recorded sale's credit now (null: none), told after every change of
   * the party's conflicts in that line: a late fact may have raised, superseded or replaced one.
   */
  onSaleDecision?(sale: RecordedSale, decision: PolicyCreditDecision | null, context: WriteContext): Promise<void>;
}

/** A sale the portfolio has recorded: its product subsidiary and policy number. */
export interface RecordedSale {
  readonly subsidiary: Subsidiary;
  readonly policyNo: string;
}

/** The domain's CreditDecision plus where the contested sale lives, when known. */
export type ResolvedCreditDecision = CreditDecision & { readonly productSubsidiary?: Subsidiary };

/**
 * Put in `ctx.shared` under CREDIT_DECISION_KEY by the PolicyIssued handler, for crediting
 * (which runs after conflicts): decided = credit per the shares; pending = a coordinator has
 * yet to decide, a ConflictResolutionListener call follows when they do.
 */
export type PolicyCreditDecision =
  | { readonly status: 'decided'; readonly decision: ResolvedCreditDecision }
  | { readonly status: 'pending'; readonly conflictId: string };
export const CREDIT_DECISION_KEY = 'creditDecision';

/** Put in `ctx.shared` under REFERRAL_LINK_KEY when a PolicyIssued converted a referral. */
export interface PolicyReferralLink {
  readonly referralId: string;
  readonly linkedBy: 'referralId' | 'party-and-line';
  readonly referrer: { readonly subsidiary: Subsidiary; readonly agentId: string; readonly channel: string };
}
export const REFERRAL_LINK_KEY = 'referral';
