import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CreditingError, HierarchyHistory, OrphanRule, loadsAsOf, placementAt, ruleSetAt } from '../domain';
import { CREDITING_SETTINGS, type CreditingSettings } from '../crediting.settings';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { RuleCatalogue } from '../rules/rule-catalogue';
import { servicingHistories } from './servicing-history';

export const LEAST_LOADED: OrphanRule = 'least-loaded-in-branch';

/** The rule a termination's hand-out follows on its date, and the candidates it chooses from then. */
@Injectable()
export class OrphanRules {
  constructor(
    @Inject(CREDITING_SETTINGS) private readonly settings: CreditingSettings,
    private readonly rules: RuleCatalogue,
    private readonly hierarchy: HierarchyLoader,
  ) {}

  /** Configuration wins; otherwise the rule set in effect on the termination date says (default team-leader). */
  async ruleOn(manager: EntityManager, date: string): Promise<OrphanRule> {
    if (this.settings.orphanRule) return this.settings.orphanRule;
    try {
      return ruleSetAt(await this.rules.timelineFor(manager), date).set.orphanRule;
    } catch (error) {
      if (error instanceof CreditingError) return 'team-leader';
      throw error;
    }
  }

  /** The leaver's leader and, for least-loaded, everyone who stood in the leaver's branch, with their loads on the date. */
  async candidates(manager: EntityManager, agentId: string, date: string, rule: OrphanRule)
    : Promise<{ hierarchy: HierarchyHistory; loads: Map<string, number> }> {
    const own = placementAt(await this.hierarchy.load(manager, [agentId]), agentId, date);
    const ids = [agentId, ...(own?.leaderId ? [own.leaderId] : [])];
    if (rule !== LEAST_LOADED || !own?.branchId) return { hierarchy: await this.hierarchy.load(manager, ids), loads: new Map() };
    ids.push(...(await this.hierarchy.branchAgents(manager, own.branchId)));
    const colleagues = ids.filter((id) => id !== agentId);
    return { hierarchy: await this.hierarchy.load(manager, ids), loads: loadsAsOf(await servicingHistories(manager, colleagues), date) };
  }
}
