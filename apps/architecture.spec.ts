import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The layer rules of STYLE.md, checked on every test run: domain code is pure (no framework,
 * database or broker imports, no clock or random ids), and libs are reached by alias only.
 */
const ROOT = join(__dirname, '..');
const FORBIDDEN_IN_DOMAIN = [/^@nestjs\//, /^typeorm/, /^kafkajs/, /^pg$/, /^@lib\/(event-store|messaging|platform|subsidiary-gateway)/, /^node:(fs|net|http|child_process)/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
}

const files = [...sourceFiles(join(ROOT, 'apps')), ...sourceFiles(join(ROOT, 'libs'))];
const domainFiles = files.filter((f) => /\/domain\//.test(f) && !/\.spec\.ts$|\/testing\//.test(f));

describe('architecture', () => {
  it('finds the domain folders it guards', () => {
    expect(domainFiles.length).toBeGreaterThan(50);
  });

  it.each(domainFiles.map((f) => [relative(ROOT, f)]))('%s imports no framework, database or broker', (file) => {
    const bad = importsOf(readFileSync(join(ROOT, file), 'utf8')).filter((spec) => FORBIDDEN_IN_DOMAIN.some((rule) => rule.test(spec)));
    expect(bad).toEqual([]);
  });

  it.each(domainFiles.map((f) => [relative(ROOT, f)]))('%s reads no clock and makes no random ids', (file) => {
    const code = readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/Date\.now\(\)|new Date\(\)|randomUUID\(|Math\.random\(/);
  });

  it('reaches libs by their alias, never by a relative path', () => {
    const offenders = files.filter((f) => importsOf(readFileSync(f, 'utf8')).some((spec) => /^(\.\.\/)+libs\//.test(spec)));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
