import { ReplaySlots } from './replay-slots';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('replay slots', () => {
  it('given the slots are taken, then the next replay waits and starts when one finishes', async () => {
    const slots = new ReplaySlots(1, 10_000);
    const first = deferred();
    const started: string[] = [];
    const a = slots.run(async () => {
      started.push('a');
      await first.promise;
    });
    const b = slots.run(async () => {
      started.push('b');
    });
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a']);
    first.resolve();
    await Promise.all([a, b]);
    expect(started).toEqual(['a', 'b']);
  });

  it('given a replay that waits too long, then it is refused with 503 and never runs', async () => {
    const slots = new ReplaySlots(1, 10);
    const first = deferred();
    const a = slots.run(() => first.promise);
    let ran = false;
    await expect(slots.run(async () => void (ran = true))).rejects.toMatchObject({ status: 503, code: 'REPLAYS_BUSY' });
    first.resolve();
    await a;
    expect(ran).toBe(false);
    await expect(slots.run(async () => 'free again')).resolves.toBe('free again');
  });
});
