import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CONFLICTS_PARTY_PROFILES, type PartyProfileSource } from '../conflicts.ports';
import { toMs, type ConflictFacts, type PartyProfile, type ScopeFacts, type Subsidiary } from '../domain';
import { inForcePolicies, scopeSales } from '../persistence/portfolio-facts';
import { scopeQuotes } from '../persistence/quote-index';
import { scopeReferrals } from '../persistence/referral-index';
import { toLiveRegistration } from './fact-mapping';

export interface FactsQuery {
  partyId: string;
  /** Undefined for an approach that names no line: policies of every line then count. */
  productLine?: string;
  /** The new fact's time: the facts are loaded as they stood then. */
  around: string;
  /** The policy being issued: it is the new fact, not an existing servicing relationship. */
  excludePolicy?: { subsidiary: string; policyNo: string };
  /** The party as it stood at `around`, when the caller has read it already (`approachedParty`). */
  party?: PartyProfile;
}

export interface LoadedScope {
  facts: ScopeFacts;
  /** Each registration's product subsidiary: the side a decision about it is sent to. */
  productSubsidiaries: Map<string, Subsidiary>;
  /** Whether the party may have been top-strategic at some moment of its tier history (false without one). */
  mayBeTopStrategic: boolean;
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

  /** The facts as they stood at `around` in business time: registrations holding then, policies issued by then, the party then. */
  async load(manager: EntityManager, query: FactsQuery): Promise<ConflictFacts> {
    await this.lock(manager, query.partyId);
    const line = query.productLine;
    const at = toMs(query.around);
    const holding = line ? (await scopeReferrals(manager, query.partyId, line)).filter((r) => !r.closedAt || toMs(r.closedAt) > at) : [];
    const registrations = holding.map(toLiveRegistration);
    const policies = (await inForcePolicies(manager, query.partyId, line, query.excludePolicy)).filter((p) => !p.issuedAt || toMs(p.issuedAt) <= at);
    const party = query.party ?? (await this.partyAt(manager, query.partyId, query.around));
    return { registrations, policies, quotes: [], ...(party ? { party } : {}) };
  }

  /** Every registration, in-force policy, sale and quote of the party in one line, for judging each as of its own time. */
  async loadScope(manager: EntityManager, partyId: string, productLine: string): Promise<LoadedScope> {
    await this.lock(manager, partyId);
    const referrals = await scopeReferrals(manager, partyId, productLine);
    const policies = await inForcePolicies(manager, partyId, productLine);
    const sales = await scopeSales(manager, partyId, productLine);
    const quotes = await scopeQuotes(manager, partyId, productLine);
    // The party as of each fact's time when the source keeps its history (then the current profile is not read), else as it is now.
    const timeline = this.profiles.timelineOf ? await this.profiles.timelineOf(manager, partyId) : undefined;
    const party = timeline ? undefined : await this.profiles.profileOf(manager, partyId);
    const registrations = referrals.map((r) => ({ ...toLiveRegistration(r), closedAt: r.closedAt }));
    return {
      facts: { partyId, productLine, registrations, policies, sales, quotes, ...(party ? { party } : {}), ...(timeline ? { partyAt: timeline.at } : {}) },
      productSubsidiaries: new Map(referrals.map((r) => [r.referralId, r.productSubsidiary])),
      mayBeTopStrategic: timeline?.mayBeTopStrategic ?? false,
    };
  }

  /**
   * The party an approach at `at` met, for the strategic-account rule: its tier and team as of then from
   * its tier history when the source keeps one (the portfolio, written with the facts, so whatever arrived
   * first), else identity's current profile. Undefined for a party top-strategic at no moment: one read
   * tells, and no rule looks at its approaches.
   */
  async approachedParty(manager: EntityManager, partyId: string, at: string): Promise<PartyProfile | undefined> {
    if (!this.profiles.timelineOf) return this.profiles.profileOf(manager, partyId);
    const timeline = await this.profiles.timelineOf(manager, partyId);
    return timeline?.mayBeTopStrategic ? timeline.at(at) : undefined;
  }

  /** The party as it stood at `at` when the source keeps its history, else as it is now. */
  private async partyAt(manager: EntityManager, partyId: string, at: string): Promise<PartyProfile | undefined> {
    const timeline = this.profiles.timelineOf ? await this.profiles.timelineOf(manager, partyId) : undefined;
    return timeline ? timeline.at(at) : this.profiles.profileOf(manager, partyId);
  }

  /** Taken by every writer of the party's referrals and conflicts, before it reads what it decides on. */
  async lock(manager: EntityManager, partyId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`conflicts:party:${partyId}`]);
  }
}
