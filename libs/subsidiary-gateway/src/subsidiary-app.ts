import type { Subsidiary } from '@lib/contracts';
import { assertProductionSecrets, createService } from '@lib/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Catalogue } from './catalogue/catalogue';
import { loadSubsidiaryConfig, type SubsidiaryConfig } from './config';
import { SubsidiaryGatewayModule } from './gateway.module';
import type { Clock } from './gateway.settings';
import { STRICTNESS_NOTE } from './http/openapi';

/** Kept for the apps' main.ts and older imports. */
export type SubsidiaryCode = Subsidiary;

const TITLES: Record<Subsidiary, string> = { life: 'Life (寿险)', pnc: 'P&C (产险)', group: 'Group benefits (团险)' };

export interface SubsidiaryAppOptions {
  /** The app's own catalogue.json; CATALOGUE_PATH overrides it. */
  cataloguePath?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** false: Nest's own logger instead of pino (tests keep their output quiet with LOG_LEVEL=silent either way). */
  logger?: boolean;
}

export interface SubsidiaryApp {
  app: NestFastifyApplication;
  config: SubsidiaryConfig;
  catalogue: Catalogue;
}

/** Builds (does not start listening) a subsidiary service; config and catalogue are checked first. */
export async function createSubsidiaryApp(sub: Subsidiary, options: SubsidiaryAppOptions = {}): Promise<SubsidiaryApp> {
  const env = options.env ?? process.env;
  const config = loadSubsidiaryConfig(sub, env);
  assertProductionSecrets(config);
  const path = config.CATALOGUE_PATH ?? options.cataloguePath;
  if (!path) throw new Error(`No product catalogue for ${sub}: pass cataloguePath or set CATALOGUE_PATH`);
  const catalogue = Catalogue.load(path, sub);
  const app = await createService(SubsidiaryGatewayModule.forRoot({ subsidiary: sub, config, catalogue, clock: options.clock }), {
    title: `${TITLES[sub]} subsidiary service`,
    description: description(sub, catalogue),
    bodyLimit: config.BODY_LIMIT,
    logger: options.logger,
  });
  return { app, config, catalogue };
}

/** The whole main.ts of a subsidiary service: the shared gateway with that subsidiary's settings. */
export async function runSubsidiaryService(sub: Subsidiary, options: SubsidiaryAppOptions = {}): Promise<void> {
  try {
    const { app, config } = await createSubsidiaryApp(sub, options);
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    process.stderr.write(`${sub} service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

function description(sub: Subsidiary, catalogue: Catalogue): string {
  return [
    `Intake of the ${sub} subsidiary's clients, agents, policies, claims, referrals and activities. Each accepted request ` +
      `is answered 202 and published as a canonical event on \`subsidiary.${sub}.events\` (envelope and payloads: @lib/contracts). ` +
      `Authenticate with \`X-Api-Key\` (role subsidiary:${sub}). The same operations can be sent over Kafka on ` +
      `\`subsidiary.${sub}.inbound\` (see libs/subsidiary-gateway/README.md).`,
    STRICTNESS_NOTE,
    catalogue.describe(),
  ].join('\n\n');
}
