import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CONFLICTS_PARTY_PROFILES, CONFLICTS_SETTINGS, type PartyProfileSource } from '../conflicts.ports';
import type { ConflictsSettings } from '../conflicts.settings';
import type { ConflictFacts } from '../domain';
import { inForcePolicies } from '../persistence/portfolio-facts';
import { quotesAround } from '../persistence/quote-index';
import { openReferrals } from '../persistence/referral-index';
import { toLiveRegistration } from './fact-mapping';

export interface FactsQuery {
  partyId: string;
  /** Undefined for an approach that names no line: policies of every line then count. */
  productLine?: string;
  /** The new fact's time, around which recent quotes are looked up. */
  around: string;
  /** The policy being issued: it is the new fact, not an existing servicing relationship. */
  excludePolicy?: { subsidiary: string; policyNo: string };
  withQuotes?: boolean;
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
    @Inject(CONFLICTS_SETTINGS) private readonly settings: ConflictsSettings,
  ) {}

  async load(manager: EntityManager, query: FactsQuery): Promise<ConflictFacts> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`conflicts:party:${query.partyId}`]);
    const line = query.productLine;
    const registrations = line ? (await openReferrals(manager, query.partyId, line)).map(toLiveRegistration) : [];
    const policies = await inForcePolicies(manager, query.partyId, line, query.excludePolicy);
    const quotes = line && query.withQuotes
      ? await quotesAround(manager, query.partyId, line, query.around, this.settings.detection.quoteClashWindowDays)
      : [];
    const party = await this.profiles.profileOf(manager, query.partyId);
    return { registrations, policies, quotes, ...(party ? { party } : {}) };
  }
}
