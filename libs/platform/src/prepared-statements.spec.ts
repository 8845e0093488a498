import { StatementNames } from './prepared-statements';

describe('StatementNames', () => {
  it('given the same text twice, then it gets the same name; another text gets another', () => {
    const names = new StatementNames();
    const a = names.nameOf('SELECT $1', [1]);
    expect(a).toMatch(/^x_[0-9a-f]{24}$/);
    expect(names.nameOf('SELECT $1', [2])).toBe(a);
    expect(names.nameOf('SELECT $1 AS b', [2])).not.toBe(a);
  });

  it('given no parameters (transaction control, savepoints, several statements), then the text stays unnamed', () => {
    const names = new StatementNames();
    expect(names.nameOf('RELEASE SAVEPOINT s; SAVEPOINT s', undefined)).toBeNull();
    expect(names.nameOf('COMMIT', [])).toBeNull();
    expect(names.size).toBe(0);
  });

  it('given more distinct texts than the limit, then the rest stay unnamed and the known ones keep their names', () => {
    const names = new StatementNames(2);
    const first = names.nameOf('SELECT $1 AS a', [1]);
    names.nameOf('SELECT $1 AS b', [1]);
    expect(names.nameOf('SELECT $1 AS c', [1])).toBeNull();
    expect(names.nameOf('SELECT $1 AS a', [1])).toBe(first);
    expect(names.size).toBe(2);
  });
});
