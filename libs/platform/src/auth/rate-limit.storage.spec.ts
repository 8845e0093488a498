import { SecondBucketThrottlerStorage } from './rate-limit.storage';

describe('SecondBucketThrottlerStorage', () => {
  const minute = 60_000;
  let clock: number;
  const storage = () => new SecondBucketThrottlerStorage(() => clock);

  beforeEach(() => {
    clock = 1_000_000;
  });

  it('given a limit of 3, then the 4th hit in the window is blocked for the block duration', async () => {
    const s = storage();
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await s.increment('k', minute, 3, minute, 'default'));
    expect(hits.map((h) => h.isBlocked)).toEqual([false, false, false, true]);
    expect(hits[3].timeToBlockExpire).toBe(60);
    clock += 30_000;
    expect((await s.increment('k', minute, 3, minute, 'default')).timeToBlockExpire).toBe(30);
  });

  it('given a key blocked until now, then it starts again from one hit', async () => {
    const s = storage();
    for (let i = 0; i < 4; i++) await s.increment('k', minute, 3, minute, 'default');
    clock += minute;
    expect(await s.increment('k', minute, 3, minute, 'default')).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('given hits spread over time, then each counts for the window after its second and no longer', async () => {
    const s = storage();
    await s.increment('k', minute, 3, minute, 'default');
    clock += 40_000;
    await s.increment('k', minute, 3, minute, 'default');
    clock += 20_000;
    expect((await s.increment('k', minute, 3, minute, 'default')).totalHits).toBe(2);
  });

  it('given many hits, then keys and throttlers count apart', async () => {
    const s = storage();
    for (let i = 0; i < 5000; i++) await s.increment('a', minute, 10_000, minute, 'default');
    expect((await s.increment('b', minute, 10_000, minute, 'default')).totalHits).toBe(1);
    expect((await s.increment('a', minute, 10_000, minute, 'other')).totalHits).toBe(1);
    expect((await s.increment('a', minute, 10_000, minute, 'default')).totalHits).toBe(5001);
  });
});
