/**
 * Recomputes the event store's hash chain on the database host and prints the report.
 *
 *   npm run verify                                  # everything sealed
 *   npm run verify -- --from 1200 --to 5000         # global positions (event numbers) ...
 *   npm run verify -- --from <position> --json      # ... or positions as the API returns them
 *
 * Reads only. Exit 0: intact; 1: problems found; 2: usage or runtime error. Keep the
 * printed head hash somewhere outside the database: it is what reveals a truncated tail.
 */
import 'reflect-metadata';
import { PostgresEventStore } from '@lib/event-store';
import { encodePosition } from '@lib/event-store/position';
import { DataSource } from 'typeorm';
import { formatIntegrityReport, parseVerifyArgs, VERIFY_USAGE } from '../apps/coordination/src/audit/cli/replay-cli';
import { loadCoordinationConfig } from '../apps/coordination/src/config';

/** A bare number is a global position (the events table's sequence); its position needs the writing transaction. */
async function toPosition(dataSource: DataSource, value: string | undefined): Promise<string | undefined> {
  if (value === undefined || value.includes('-')) return value;
  const rows = await dataSource.query<Array<{ tx: string }>>(
    `SELECT tx_id::text AS tx FROM event_store.events WHERE global_position = $1
     UNION ALL SELECT tx_id::text FROM event_store.seals WHERE global_position = $1 LIMIT 1`,
    [value],
  );
  if (!rows[0]) throw new Error(`no event or seal has global position ${value}`);
  return encodePosition(rows[0].tx, value);
}

async function main(argv: string[]): Promise<number> {
  const args = parseVerifyArgs(argv);
  if ('error' in args) {
    process.stderr.write(`${args.error}\n${VERIFY_USAGE}\n`);
    return 2;
  }
  const { DATABASE_URL } = loadCoordinationConfig(process.env);
  const dataSource = await new DataSource({ type: 'postgres', url: DATABASE_URL, applicationName: 'xsell-verify', extra: { max: 2 } }).initialize();
  try {
    const store = new PostgresEventStore(dataSource);
    const report = await store.verifyIntegrity(await toPosition(dataSource, args.from), await toPosition(dataSource, args.to));
    process.stdout.write(`${args.json ? JSON.stringify(report, null, 2) : formatIntegrityReport(report)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
