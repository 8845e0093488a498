export type MessagingLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where the transports report retries and failures; adapt it to pino in the app. */
export type MessagingLog = (level: MessagingLogLevel, message: string, meta?: Record<string, unknown>) => void;

export const silentLog: MessagingLog = () => undefined;

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
