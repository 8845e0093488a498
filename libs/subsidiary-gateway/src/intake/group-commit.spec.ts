import { GroupCommitter, type CommitJob, type GroupCommitOptions } from './group-commit';

type TestJob = CommitJob<string> & { name: string };

/** A committer whose batches end when the test says so; records every batch it was given. */
function harness(options: GroupCommitOptions) {
  const batches: string[][] = [];
  const finishers: Array<() => void> = [];
  const committer = new GroupCommitter<TestJob>(options, (jobs) => {
    batches.push(jobs.map((j) => j.name));
    return new Promise<void>((resolve) => finishers.push(() => {
      jobs.forEach((j) => j.resolve(j.name));
      resolve();
    }));
  });
  const add = (name: string, ...conflictKeys: string[]) =>
    new Promise<string>((resolve, reject) => committer.add({ name, conflictKeys: conflictKeys.length ? conflictKeys : [name], resolve, reject }));
  const turn = () => new Promise((r) => setImmediate(r));
  const finishNext = async () => {
    finishers.shift()!();
    await turn();
    await turn();
  };
  return { batches, add, turn, finishNext };
}

describe('GroupCommitter', () => {
  it('sends requests of one turn together and the ones arriving meanwhile in the next batch', async () => {
    const { batches, add, turn, finishNext } = harness({ maxBatch: 10, lanes: 1 });
    const first = [add('a'), add('b')];
    await turn();
    const second = [add('c'), add('d'), add('e')];
    await turn();
    expect(batches).toEqual([['a', 'b']]);
    await finishNext();
    expect(batches).toEqual([['a', 'b'], ['c', 'd', 'e']]);
    await finishNext();
    expect(await Promise.all([...first, ...second])).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('caps a batch at maxBatch and runs up to `lanes` batches at once', async () => {
    const { batches, add, turn } = harness({ maxBatch: 2, lanes: 2 });
    ['a', 'b', 'c', 'd', 'e'].forEach((n) => void add(n));
    await turn();
    expect(batches).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('keeps a request out of any batch that holds one of its conflict keys until that batch ends', async () => {
    const { batches, add, turn, finishNext } = harness({ maxBatch: 10, lanes: 2 });
    void add('a', 'key:1', 'subject:P');
    void add('b', 'key:2', 'subject:P');
    void add('c', 'key:1', 'subject:Q');
    void add('d', 'key:3', 'subject:R');
    await turn();
    expect(batches).toEqual([['a', 'd']]);
    await finishNext();
    expect(batches).toEqual([['a', 'd'], ['b', 'c']]);
  });

  it('rejects the jobs of a batch whose run fails unexpectedly', async () => {
    const committer = new GroupCommitter<TestJob>({ maxBatch: 5, lanes: 1 }, async () => {
      throw new Error('boom');
    });
    const answer = new Promise((resolve, reject) => committer.add({ name: 'a', conflictKeys: ['a'], resolve, reject }));
    await expect(answer).rejects.toThrow('boom');
  });
});
