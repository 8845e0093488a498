/** Stable codes: the HTTP layer maps each one to a problem+json status. */
export type CreditingErrorCode =
  | 'CREDIT_DOUBLE_COUNTING'
  | 'CREDIT_POLICY_NOT_ISSUED'
  | 'CREDIT_POLICY_ALREADY_ISSUED'
  | 'CREDIT_POLICY_NOT_IN_FORCE'
  | 'CREDIT_POLICY_NOT_TERMINATED'
  | 'CREDIT_NO_RULE_SET_IN_EFFECT'
  | 'CREDIT_RULE_SET_INVALID'
  | 'CREDIT_RULE_SET_VERSION_EXISTS'
  | 'CREDIT_NO_STANDARD_PREMIUM_FACTOR'
  | 'CREDIT_INVALID_SPLIT'
  | 'CREDIT_INVALID_AMOUNT'
  | 'CREDIT_LINE_NOT_FOUND'
  | 'CREDIT_DISPUTE_NOT_FOUND'
  | 'CREDIT_DISPUTE_ALREADY_OPEN'
  | 'CREDIT_DISPUTE_ALREADY_RESOLVED'
  | 'CREDIT_POLICY_MISMATCH';

export interface ValidationIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export class CreditingError extends Error {
  constructor(
    readonly code: CreditingErrorCode,
    message: string,
    readonly issues: readonly ValidationIssue[] = [],
  ) {
    super(message);
    this.name = 'CreditingError';
  }
}
