import { DynamicModule, Module } from '@nestjs/common';
import { baseConfigSchema, createService, loadConfig, PlatformModule, portSchema } from '@lib/platform';
import { z } from 'zod';

export type SubsidiaryCode = 'life' | 'pnc' | 'group';

const DEFAULT_PORTS: Record<SubsidiaryCode, number> = { life: 3001, pnc: 3002, group: 3003 };
const TITLES: Record<SubsidiaryCode, string> = { life: 'Life (寿险)', pnc: 'P&C (产险)', group: 'Group benefits (团险)' };

export function subsidiaryConfigSchema(sub: SubsidiaryCode) {
  return baseConfigSchema.extend({ PORT: portSchema.default(DEFAULT_PORTS[sub]) });
}
export type SubsidiaryConfig = z.infer<ReturnType<typeof subsidiaryConfigSchema>>;

@Module({})
export class SubsidiaryAppModule {
  static forRoot(sub: SubsidiaryCode, config: SubsidiaryConfig): DynamicModule {
    return {
      module: SubsidiaryAppModule,
      imports: [PlatformModule.forRoot({ service: sub, config, migrations: [] })],
    };
  }
}

/** The whole main.ts of a subsidiary service: the shared gateway with that subsidiary's settings. */
export async function runSubsidiaryService(sub: SubsidiaryCode): Promise<void> {
  try {
    const config = loadConfig(subsidiaryConfigSchema(sub));
    const app = await createService(SubsidiaryAppModule.forRoot(sub, config), {
      title: `${TITLES[sub]} subsidiary service`,
      description: `Intake of the ${sub} subsidiary's clients, agents, policies, claims, referrals and activities; publishes canonical events.`,
      bodyLimit: config.BODY_LIMIT,
    });
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    process.stderr.write(`${sub} service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
