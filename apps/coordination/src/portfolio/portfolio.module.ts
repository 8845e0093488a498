import { Module } from '@nestjs/common';
import { ActivityHandler } from './activity.handler';
import { AgentHandler } from './agent.handler';
import { Portfolio1767301000000 } from './migrations/1767301000000-portfolio';
import { PolicyIssuedAt1767301000100 } from './migrations/1767301000100-policy-issued-at';
import { PolicyStatusHistory1767301000200 } from './migrations/1767301000200-policy-status-history';
import { PolicyTerms1767301000300 } from './migrations/1767301000300-policy-terms';
import { PolicyEndorsements1767301000400 } from './migrations/1767301000400-policy-endorsements';
import { PolicyHandler } from './policy.handler';

export const portfolioMigrations = [Portfolio1767301000000, PolicyIssuedAt1767301000100, PolicyStatusHistory1767301000200, PolicyTerms1767301000300,
  PolicyEndorsements1767301000400];

/** Agents, policies, claims and activities: the facts every other feature reads. */
@Module({
  providers: [AgentHandler, PolicyHandler, ActivityHandler],
  exports: [AgentHandler, PolicyHandler, ActivityHandler],
})
export class PortfolioModule {}
