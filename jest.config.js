// Nest 12, jose, zod, faker and others ship ESM only; jest's CommonJS runtime cannot
// require them, so SWC transpiles exactly the packages that declare "type": "module".
const fs = require('node:fs');
const path = require('node:path');
const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));

function esmPackages(dir = path.join(__dirname, 'node_modules'), prefix = '') {
  const names = [];
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@') ? fs.readdirSync(path.join(dir, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of dirs) {
      try {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, name, 'package.json'), 'utf8'));
        if (pkg.type === 'module') names.push(`${prefix}${name}`);
      } catch { /* not a package */ }
      // A package's own copy of an ESM dependency (e.g. @fastify/static's content-disposition).
      names.push(...esmPackages(path.join(dir, name, 'node_modules'), `${prefix}${name}/node_modules/`));
    }
  }
  return names;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const swc = { ...swcrc, exclude: [], jsc: { ...swcrc.jsc, target: 'es2022' }, module: { type: 'commonjs' } };
const moduleNameMapper = {
  '^@lib/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  '^@lib/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)sx?$': ['@swc/jest', { ...swc, swcrc: false }] },
  // Anchored at the first node_modules of the path, so a nested package is named by its whole path from there.
  transformIgnorePatterns: [`^(?:(?!/node_modules/).)*/node_modules/(?!(${esmPackages().map(escape).join('|')})/)`],
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.cache/'],
};

module.exports = {
  reporters: ['default', '<rootDir>/test/infra/summary-reporter.js'],
  // testTimeout is a global option: per-project values are ignored by jest.
  testTimeout: 120_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/infra/global-setup.ts',
      globalTeardown: '<rootDir>/test/infra/global-teardown.ts',
      testTimeout: 120_000,
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/infra/global-setup.ts',
      globalTeardown: '<rootDir>/test/infra/global-teardown.ts',
      testTimeout: 300_000,
    },
  ],
};
