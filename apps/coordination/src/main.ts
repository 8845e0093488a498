import 'reflect-metadata';
import { createService } from '@lib/platform';
import { CoordinationAppModule } from './app.module';
import { loadCoordinationConfig } from './config';

async function main(): Promise<void> {
  const config = loadCoordinationConfig();
  const app = await createService(CoordinationAppModule.forRoot(config), {
    title: 'Group coordination service',
    description: 'Unified 360° client view, dual-side KPI credit, channel-conflict resolution, admin and audit APIs.',
    bodyLimit: config.BODY_LIMIT,
  });
  await app.listen(config.PORT, config.HOST);
}

main().catch((error: unknown) => {
  process.stderr.write(`coordination failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
