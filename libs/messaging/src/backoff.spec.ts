import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it.each([
    [0, 0],
    [1, 100],
    [2, 200],
    [3, 400],
    [5, 1_600],
    [6, 2_000],
    [1_000, 2_000],
  ])('after %i consecutive failures waits %i ms (initial 100, cap 2000)', (failures, expected) => {
    expect(backoffDelay(failures, { initialMs: 100, maxMs: 2_000 })).toBe(expected);
  });

  it('uses 200 ms doubling up to 30 s by default', () => {
    expect(backoffDelay(1)).toBe(200);
    expect(backoffDelay(50)).toBe(30_000);
  });
});
