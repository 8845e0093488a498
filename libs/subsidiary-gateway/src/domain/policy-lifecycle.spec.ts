import { nextPolicyStatus, type PolicyAction, type PolicyStatus } from './policy-lifecycle';

describe('policy lifecycle', () => {
  it.each([
    ['in_force', 'renew', 'in_force'],
    ['in_force', 'endorse', 'in_force'],
    ['in_force', 'cancel', 'cancelled'],
    ['in_force', 'lapse', 'lapsed'],
    ['lapsed', 'reinstate', 'in_force'],
    ['lapsed', 'cancel', 'cancelled'],
  ] as Array<[PolicyStatus, PolicyAction, PolicyStatus]>)('given a policy %s, when asked to %s, then it is %s', (status, action, next) => {
    expect(nextPolicyStatus(status, action)).toEqual({ ok: true, status: next });
  });

  it.each([
    ['cancelled', 'cancel', /cancelled/],
    ['cancelled', 'reinstate', /cancelled/],
    ['cancelled', 'renew', /cancelled/],
    ['in_force', 'reinstate', /only a lapsed policy/],
    ['lapsed', 'lapse', /already lapsed/],
    ['lapsed', 'renew', /lapsed; it cannot be renewed/],
    ['lapsed', 'endorse', /lapsed; it cannot be endorsed/],
  ] as Array<[PolicyStatus, PolicyAction, RegExp]>)('given a policy %s, when asked to %s, then it is refused', (status, action, reason) => {
    const result = nextPolicyStatus(status, action);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});
