/**
 * What a policy may go through, as the subsidiary service tracks it to refuse
 * impossible requests (cancelling a cancelled policy, reinstating one in force).
 * Pure: the caller loads the status and stores the answer.
 */
export const POLICY_STATUSES = ['in_force', 'lapsed', 'cancelled'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

export const POLICY_ACTIONS = ['renew', 'endorse', 'cancel', 'lapse', 'reinstate'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

export type Transition = { ok: true; status: PolicyStatus } | { ok: false; reason: string };

/**
 * A lapsed policy may be reinstated or surrendered (cancelled) but not renewed or
 * endorsed; a cancelled policy is final.
 */
export function nextPolicyStatus(status: PolicyStatus, action: PolicyAction): Transition {
  if (status === 'cancelled') return refuse(`the policy is cancelled; it cannot be ${PAST[action]}`);
  switch (action) {
    case 'renew':
    case 'endorse':
      return status === 'in_force' ? allow('in_force') : refuse(`the policy is ${status}; it cannot be ${PAST[action]}`);
    case 'cancel':
      return allow('cancelled');
    case 'lapse':
      return status === 'in_force' ? allow('lapsed') : refuse('the policy has already lapsed');
    case 'reinstate':
      return status === 'lapsed' ? allow('in_force') : refuse('only a lapsed policy can be reinstated');
    default: {
      const unknown: never = action;
      throw new Error(`unknown policy action ${String(unknown)}`);
    }
  }
}

const PAST: Record<PolicyAction, string> = {
  renew: 'renewed',
  endorse: 'endorsed',
  cancel: 'cancelled',
  lapse: 'lapsed',
  reinstate: 'reinstated',
};

const allow = (status: PolicyStatus): Transition => ({ ok: true, status });
const refuse = (reason: string): Transition => ({ ok: false, reason });
