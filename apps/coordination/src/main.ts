import 'reflect-metadata';
import { createCoordinationApp } from './coordination-app';

async function main(): Promise<void> {
  const { app, config } = await createCoordinationApp();
  await app.listen(config.PORT, config.HOST);
}

main().catch((error: unknown) => {
  process.stderr.write(`coordination failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
