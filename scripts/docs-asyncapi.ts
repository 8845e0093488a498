/**
 * Writes docs/asyncapi.yaml from @lib/contracts, so the published Kafka contract
 * is generated from the schemas the services actually validate with.
 *
 *   npm run docs:asyncapi            # (re)write the file
 *   npm run docs:asyncapi -- --check # exit 1 if the committed file is stale (CI)
 *
 * The document is emitted as YAML without a YAML dependency (see toYaml).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildAsyncApi, toYaml } from '@lib/contracts';

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const target = resolve(process.cwd(), argv.find((a) => !a.startsWith('--')) ?? 'docs/asyncapi.yaml');
  const yaml = toYaml(buildAsyncApi());
  if (check) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (current === yaml) return 0;
    process.stderr.write(`${target} is out of date: run npm run docs:asyncapi\n`);
    return 1;
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, yaml);
  process.stdout.write(`wrote ${target} (${yaml.length} bytes)\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
