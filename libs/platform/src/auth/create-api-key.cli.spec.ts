import { parseCliArgs } from './create-api-key.cli';

describe('create-api-key arguments', () => {
  it('given name and role, then no subsidiary and the default author', () => {
    expect(parseCliArgs(['--name', 'ops', '--role', 'admin'], 'cli:root')).toEqual({
      name: 'ops',
      role: 'admin',
      subsidiary: null,
      createdBy: 'cli:root',
    });
  });

  it('given a subsidiary and an author, then both are kept', () => {
    expect(parseCliArgs(['--name', 'life-core', '--role', 'subsidiary:life', '--subsidiary', 'life', '--created-by', 'ops'])).toMatchObject({
      subsidiary: 'life',
      createdBy: 'ops',
    });
  });

  it.each([
    ['no name', ['--role', 'admin'], '--name'],
    ['unknown role', ['--name', 'x', '--role', 'root'], '--role'],
    ['unknown subsidiary', ['--name', 'x', '--role', 'admin', '--subsidiary', 'bank'], '--subsidiary'],
    ['unknown flag', ['--name', 'x', '--role', 'admin', '--force'], 'force'],
  ])('given %s, then an error naming it', (_label, argv, mention) => {
    const result = parseCliArgs(argv);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toContain(mention);
  });
});
