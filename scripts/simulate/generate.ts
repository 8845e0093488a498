/**
 * generatePlan: the whole simulated year as an ordered list of requests plus the ground
 * truth, from one seed. Pure: no clock, no I/O, no Math.random; the same options give the
 * same plan byte for byte.
 */
import { emitAgents } from './agent-requests';
import { AgentRoster } from './agents';
import { emitClients } from './clients';
import { stageBypassedRegistrations, stageDuplicateRegistrations, stageQuoteClashes } from './conflicts';
import { resolvePlanOptions, SimContext } from './context';
import { planCrossSelling } from './cross-sell';
import { emitActivities } from './engagement';
import { emitPolicies } from './policies';
import { buildPopulation } from './population';
import { planPortfolios } from './portfolio';
import { openRecords } from './records';
import { LeadBook } from './referrals';
import { entityTruths, groundTruth } from './truth';
import type { Plan, PlanOptions } from './types';

export function generatePlan(input: Partial<PlanOptions> = {}): Plan {
  const options = resolvePlanOptions(input);
  const ctx = new SimContext(options);
  const roster = new AgentRoster(ctx);
  const population = buildPopulation(ctx);
  openRecords(ctx, population, roster);

  const drafts = planPortfolios(ctx, population, roster);
  const leads = new LeadBook();
  drafts.push(...stageDuplicateRegistrations(ctx, population, roster, leads));
  drafts.push(...stageBypassedRegistrations(ctx, population, roster, leads));
  drafts.push(...planCrossSelling(ctx, population, roster, leads));
  stageQuoteClashes(ctx, population, roster, leads);

  emitAgents(ctx, roster);
  emitClients(ctx, population);
  emitPolicies(ctx, roster, drafts);
  emitActivities(ctx, population, roster, drafts);

  const requests = ctx.out.build();
  const entities = entityTruths(population);
  const { catalogues: _catalogues, ...plainOptions } = options;
  return {
    options: plainOptions,
    requests,
    waves: ctx.calendar.finalWave + 1,
    truth: groundTruth(ctx, population, entities),
    entities,
  };
}
