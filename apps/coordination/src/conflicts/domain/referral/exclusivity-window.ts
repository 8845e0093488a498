import { ConflictsDomainError } from '../conflicts.errors';
import { ProductLine } from '../conflicts.types';

/**
 * How long a registration keeps other claimants away, per product line. Short-cycle retail lines
 * close fast; group business needs a tender cycle, so it gets longer.
 */
export interface ExclusivityWindows {
  readonly defaultDays: number;
  readonly byProductLine: Readonly<Record<ProductLine, number>>;
}

export const DEFAULT_EXCLUSIVITY_WINDOWS: ExclusivityWindows = {
  defaultDays: 60,
  byProductLine: { MOTOR: 30, GROUP_HEALTH: 90 },
};

export function exclusivityDays(productLine: ProductLine, windows: ExclusivityWindows): number {
  return windows.byProductLine[productLine] ?? windows.defaultDays;
}

/** Called once at boot so a bad setting fails fast instead of producing odd windows later. */
export function validateExclusivityWindows(windows: ExclusivityWindows): ExclusivityWindows {
  const entries: Array<[string, number]> = [['default', windows.defaultDays], ...Object.entries(windows.byProductLine)];
  for (const [line, days] of entries) {
    if (!Number.isInteger(days) || days <= 0) {
      throw new ConflictsDomainError('INVALID_CONFIG', `exclusivity window for ${line} must be a positive integer of days`, {
        productLine: line,
        days,
      });
    }
  }
  return windows;
}
