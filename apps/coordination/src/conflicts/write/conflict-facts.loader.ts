import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CONFLICTS_PARTY_PROFILES, type PartyProfileSource } from '../conflicts.ports';
import type { ScopeFacts, Subsidiary } from '../domain';
import { scopePoliciesAndSales } from '../persistence/portfolio-facts';
import { scopeReferrals, type ScopeReferral } from '../persistence/referral-index';
import { scopeQuotesAndApproaches } from '../persistence/scope-activities';
import { toLiveRegistration } from './fact-mapping';

export interface LoadedScope {
  facts: ScopeFacts;
  /** Each registration's product subsidiary: the side a decision about it is sent to. */
  productSubsidiaries: Map<string, Subsidiary>;
  /** Whether the party may have been top-strategic at some moment of its tier history (false without one). */
  mayBeTopStrategic: boolean;
}

/** What a caller of loadScope knows already in its transaction. */
export interface KnownScope {
  /** It took the party's lock just before. */
  locked?: boolean;
  /** The scope's registrations, read under that lock, none written since. */
  referrals?: readonly ScopeReferral[];
}

/**
 * Loads what the rules need about one party, under a per-party transaction lock: two
 * consumers handling rival registrations for one client (they arrive on different
 * subsidiaries' topics) take turns, so the second always sees the first and the
 * conflict is detected whatever the timing. READ COMMITTED re-reads after the lock.
 */
@Injectable()
export class ConflictFactsLoader {
  constructor(
    @Inject(CONFLICTS_PARTY_PROFILES) private readonly profiles: PartyProfileSource,
  ) {}

  /**
   * Every registration, policy (with what it was on each day), sale, quote and other approach of the party in one line, for
   * judging each as of its own time. The `*` scope holds the approaches naming no line: policies of
   * every line count for them. What the caller knows already (`known`) is not asked for again.
   */
  async loadScope(manager: EntityManager, partyId: string, productLine: string, known: KnownScope = {}): Promise<LoadedScope> {
    // Independent reads, sent together behind the lock (a pipelined connection answers them in order,
    // each reading after the lock is held): one round trip instead of five.
    const [, referrals, { policies, sales }, { quotes, approaches }, timeline] = await Promise.all([
      known.locked ? undefined : this.lock(manager, partyId),
      known.referrals ?? scopeReferrals(manager, partyId, productLine),
      scopePoliciesAndSales(manager, partyId, productLine),
      scopeQuotesAndApproaches(manager, partyId, productLine),
      // The party as of each fact's time when the source keeps its history (then the current profile is not read), else as it is now.
      this.profiles.timelineOf ? this.profiles.timelineOf(manager, partyId) : undefined,
    ]);
    const party = timeline ? undefined : await this.profiles.profileOf(manager, partyId);
    const registrations = referrals.map((r) => ({ ...toLiveRegistration(r), closedAt: r.closedAt }));
    return {
      facts: { partyId, productLine, registrations, policies, sales, quotes, approaches, ...(party ? { party } : {}), ...(timeline ? { partyAt: timeline.at } : {}) },
      productSubsidiaries: new Map(referrals.map((r) => [r.referralId, r.productSubsidiary])),
      mayBeTopStrategic: timeline?.mayBeTopStrategic ?? false,
    };
  }

  /**
   * Whether the party may have been top-strategic at some moment (identity's current tier when the source
   * keeps no history): one read, and when false no rule looks at its approaches.
   */
  async mayBeTopStrategic(manager: EntityManager, partyId: string): Promise<boolean> {
    if (!this.profiles.timelineOf) return (await this.profiles.profileOf(manager, partyId))?.tier === 'TOP_STRATEGIC';
    return (await this.profiles.timelineOf(manager, partyId))?.mayBeTopStrategic ?? false;
  }

  /** Taken by every writer of the party's referrals and conflicts, before it reads what it decides on. */
  async lock(manager: EntityManager, partyId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`conflicts:party:${partyId}`]);
  }
}
