import { AppError } from '@lib/platform';

/** The audit API's error codes, each with its HTTP status once. */
export const AuditErrorCode = {
  ProjectionNotFound: 'PROJECTION_NOT_FOUND',
  AsOfViewNotAvailable: 'AS_OF_VIEW_NOT_AVAILABLE',
  AsOfNotFound: 'AS_OF_NOT_FOUND',
  StreamNotFound: 'STREAM_NOT_FOUND',
  RebuildInProgress: 'REBUILD_IN_PROGRESS',
  CheckpointMovedBack: 'CHECKPOINT_MOVED_BACK',
  IntegrityUnsupported: 'INTEGRITY_UNSUPPORTED',
} as const;
export type AuditErrorCode = (typeof AuditErrorCode)[keyof typeof AuditErrorCode];

const STATUS: Record<AuditErrorCode, number> = {
  PROJECTION_NOT_FOUND: 404,
  AS_OF_VIEW_NOT_AVAILABLE: 404,
  AS_OF_NOT_FOUND: 404,
  STREAM_NOT_FOUND: 404,
  REBUILD_IN_PROGRESS: 409,
  CHECKPOINT_MOVED_BACK: 409,
  INTEGRITY_UNSUPPORTED: 422,
};

export const auditError = (code: AuditErrorCode, message: string, extra: Record<string, unknown> = {}): AppError =>
  new AppError(STATUS[code], code, message, [], extra);
