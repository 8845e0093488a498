import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CONFLICT_RESOLUTION_LISTENERS, type ConflictResolutionListener, type PolicyCreditDecision, type PolicyReferralLink, type RecordedSale, type WriteContext,
} from '../conflicts.ports';
import type { ScopeSale } from '../domain';
import { creditDecisionForSale } from './credit-decision';
import { conflictsOfReferral, conflictsOfSale } from '../persistence/conflict-index';
import type { LoadedScope } from './conflict-facts.loader';

/**
 * Keeps the credit of recorded sales in line with the conflicts that stand: after the party's
 * conflicts in a line were reconciled, each sale's governing decision is told to crediting, which
 * posts compensating lines when it changed (a decision raised late, superseded or replaced).
 */
@Injectable()
export class SaleDecisions {
  constructor(@Inject(CONFLICT_RESOLUTION_LISTENERS) private readonly listeners: ConflictResolutionListener[]) {}

  /** The decision that governs one sale's credit, from the conflicts standing now. */
  async decisionFor(manager: EntityManager, scope: LoadedScope, sale: ScopeSale): Promise<PolicyCreditDecision | undefined> {
    const own = await conflictsOfSale(manager, scope.facts.partyId, scope.facts.productLine, sale.policyNo);
    const ofReferral = sale.convertedReferralId ? await conflictsOfReferral(manager, sale.convertedReferralId) : [];
    return creditDecisionForSale(own, ofReferral, sale);
  }

  async settle(scope: LoadedScope, ctx: WriteContext): Promise<void> {
    const told = this.listeners.filter((l) => l.onSaleDecision);
    if (told.length === 0) return;
    for (const sale of scope.facts.sales ?? []) {
      const decision = (await this.decisionFor(ctx.manager, scope, sale)) ?? null;
      for (const l of told) await l.onSaleDecision!({ subsidiary: sale.productSubsidiary, policyNo: sale.policyNo }, decision, ctx);
    }
  }

  async linked(sale: RecordedSale, link: PolicyReferralLink | null, ctx: WriteContext): Promise<void> {
    for (const l of this.listeners) if (l.onSaleLinked) await l.onSaleLinked(sale, link, ctx);
  }
}
