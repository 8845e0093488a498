import { AppError, type FieldProblem } from '@lib/platform';

/** Every expected failure of the intake, with its one HTTP status (and DLQ code on Kafka). */
export const INTAKE_ERRORS = {
  VALIDATION_FAILED: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  IDEMPOTENCY_KEY_REUSED: 409,
  CLIENT_NOT_FOUND: 404,
  AGENT_NOT_FOUND: 404,
  POLICY_NOT_FOUND: 404,
  CLAIM_NOT_FOUND: 404,
  CLIENT_ALREADY_REGISTERED: 409,
  CLIENT_KIND_CHANGED: 409,
  AGENT_ALREADY_ONBOARDED: 409,
  AGENT_TERMINATED: 409,
  POLICY_ALREADY_ISSUED: 409,
  POLICY_STATUS_CONFLICT: 409,
  CLAIM_ALREADY_REPORTED: 409,
  CLAIM_ALREADY_SETTLED: 409,
  REFERRAL_ALREADY_REGISTERED: 409,
  ACTIVITY_ALREADY_LOGGED: 409,
  UNKNOWN_PRODUCT_CODE: 422,
  UNKNOWN_CHANNEL_CODE: 422,
  CHANNEL_MISMATCH: 422,
  PREMIUM_MODE_NOT_OFFERED: 422,
  UNKNOWN_CLIENT: 422,
  UNKNOWN_AGENT: 422,
  UNKNOWN_POLICY: 422,
  EVENT_CONTRACT_VIOLATION: 422,
} as const satisfies Record<string, number>;

export type IntakeErrorCode = keyof typeof INTAKE_ERRORS;

/** An intake failure as the platform's problem+json error; `field` names the culprit. */
export function intakeError(code: IntakeErrorCode, message: string, field?: string, extra: Record<string, unknown> = {}): AppError {
  const errors: FieldProblem[] = field ? [{ field, message }] : [];
  return new AppError(INTAKE_ERRORS[code], code, message, errors, extra);
}

export function isIntakeError(error: unknown): error is AppError {
  return error instanceof AppError && error.code in INTAKE_ERRORS;
}
