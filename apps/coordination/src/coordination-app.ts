import { assertProductionSecrets, createService } from '@lib/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CoordinationAppModule } from './app.module';
import { CoordinationConfig, loadCoordinationConfig } from './config';

export interface CoordinationApp {
  app: NestFastifyApplication;
  config: CoordinationConfig;
}

/** Builds (does not start listening) the coordination service; config is checked first. */
export async function createCoordinationApp(options: { env?: NodeJS.ProcessEnv; logger?: boolean } = {}): Promise<CoordinationApp> {
  const config = loadCoordinationConfig(options.env ?? process.env);
  assertProductionSecrets(config);
  const app = await createService(CoordinationAppModule.forRoot(config), {
    title: 'Group coordination service',
    description:
      'The unified 360° client view, dual-side KPI credit for cross-sales, referrals and channel-conflict resolution, ' +
      "the coordination team's admin API and the auditors' replay API. Authenticate with `X-Api-Key` or a bearer JWT.",
    bodyLimit: config.BODY_LIMIT,
    logger: options.logger,
  });
  return { app, config };
}
