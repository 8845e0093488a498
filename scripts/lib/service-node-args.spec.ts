import { spawnSync } from 'node:child_process';
import { DEFAULT_SEMI_SPACE_MB, serviceNodeArgs } from './service-node-args';

describe('serviceNodeArgs', () => {
  it('gives the services a 64 MB young generation semi-space unless told otherwise', () => {
    expect(DEFAULT_SEMI_SPACE_MB).toBe(64);
    expect(serviceNodeArgs({})).toEqual(['--max-semi-space-size=64']);
    expect(serviceNodeArgs({ SERVICE_SEMI_SPACE_MB: ' 16 ' })).toEqual(['--max-semi-space-size=16']);
  });

  it.each(['0', '-8', '12.5', '2048', 'big'])('refuses SERVICE_SEMI_SPACE_MB=%s by name', (value) => {
    expect(() => serviceNodeArgs({ SERVICE_SEMI_SPACE_MB: value })).toThrow(/SERVICE_SEMI_SPACE_MB must be a whole number of MB from 1 to 1024/);
  });

  it('names flags this Node accepts (a misspelt one stops the service from starting)', () => {
    const run = spawnSync(process.execPath, [...serviceNodeArgs({}), '-e', 'process.stdout.write("up")'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('up');
    const misspelt = spawnSync(process.execPath, ['--max-semi-space-sise=64', '-e', ''], { encoding: 'utf8' });
    expect(misspelt.status).not.toBe(0);
  });
});
