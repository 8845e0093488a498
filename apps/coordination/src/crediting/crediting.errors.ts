import { AppError } from '@lib/platform';
import { CreditingError, CreditingErrorCode } from './domain';

const STATUS: Record<CreditingErrorCode, number> = {
  CREDIT_DOUBLE_COUNTING: 409,
  CREDIT_POLICY_NOT_ISSUED: 409,
  CREDIT_POLICY_ALREADY_ISSUED: 409,
  CREDIT_POLICY_NOT_IN_FORCE: 409,
  CREDIT_POLICY_NOT_TERMINATED: 409,
  CREDIT_NO_RULE_SET_IN_EFFECT: 422,
  CREDIT_RULE_SET_INVALID: 422,
  CREDIT_RULE_SET_VERSION_EXISTS: 409,
  CREDIT_NO_STANDARD_PREMIUM_FACTOR: 422,
  CREDIT_INVALID_SPLIT: 422,
  CREDIT_INVALID_AMOUNT: 422,
  CREDIT_LINE_NOT_FOUND: 404,
  CREDIT_DISPUTE_NOT_FOUND: 404,
  CREDIT_DISPUTE_ALREADY_OPEN: 409,
  CREDIT_DISPUTE_ALREADY_RESOLVED: 409,
  CREDIT_POLICY_MISMATCH: 409,
};

/** The domain's stable codes as problem+json; issue paths become field problems. */
export function toAppError(error: CreditingError): AppError {
  const errors = error.issues.map((i) => ({ field: i.path, message: `${i.code}: ${i.message}` }));
  return new AppError(STATUS[error.code], error.code, error.message, errors, error.issues.length ? { issues: error.issues } : {});
}

/** Runs a use case and turns the domain's errors into HTTP errors (others pass through). */
export async function mapCreditingErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof CreditingError ? toAppError(error) : error;
  }
}
