/**
 * Rebuilds a read model from the event store and compares it with the live one, on the
 * database host (auditors' tool; see apps/coordination/src/audit).
 *
 *   npm run replay -- --projection <name>            # compare only: temporary tables, writes nothing
 *   npm run replay -- --projection <name> --shadow   # keep the rebuild in <table>_rebuild
 *   npm run replay -- --projection <name> --swap     # swap the rebuild in as the live read model
 *
 * Boots the coordination app context with consumers, projections and the scheduler off,
 * and runs the same RebuildService as POST /v1/audit/projections/{name}/rebuild. A swap is
 * safe while the service runs elsewhere (see RebuildService.swap). Exit 0: equal (or
 * swapped); 1: different; 2: usage or runtime error.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { userInfo } from 'node:os';
import { CoordinationAppModule } from '../apps/coordination/src/app.module';
import { formatRebuildReport, parseReplayArgs, REPLAY_USAGE, replayExitCode } from '../apps/coordination/src/audit/cli/replay-cli';
import { RebuildService } from '../apps/coordination/src/audit/rebuild/rebuild.service';
import { loadCoordinationConfig } from '../apps/coordination/src/config';

async function main(argv: string[]): Promise<number> {
  const args = parseReplayArgs(argv);
  if ('error' in args) {
    process.stderr.write(`${args.error}\n${REPLAY_USAGE}\n`);
    return 2;
  }
  process.env.INBOUND_DISABLED = '1';
  process.env.PROJECTIONS_DISABLED = '1';
  process.env.SCHEDULER_DISABLED = '1';
  const config = loadCoordinationConfig({ LOG_LEVEL: 'warn', ...process.env });
  const app = await NestFactory.createApplicationContext(CoordinationAppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const rebuilds = app.get(RebuildService, { strict: false });
    const actor = { id: `cli:${userInfo().username}` };
    const report = args.mode === 'compare' ? await rebuilds.compare(args.projection) : await rebuilds.rebuild(args.projection, { swap: args.mode === 'swap', actor });
    process.stdout.write(`${args.json ? JSON.stringify(report, null, 2) : formatRebuildReport(report)}\n`);
    return replayExitCode(report);
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
