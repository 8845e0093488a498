import { ConflictsDomainError } from '../conflicts.errors';
import { IsoTimestamp } from '../conflicts.types';
import { HOUR_MS, toMs } from '../time';

export interface Ageing {
  /** Whole hours and fractions to 2 places, counted to the decision if there is one, else to `now`. */
  readonly ageHours: number;
  readonly slaBreached: boolean;
}

/** A decided conflict stops ageing: its SLA was met or missed at the moment of the decision. */
export function ageing(conflict: { readonly detectedAt: IsoTimestamp; readonly closedAt?: IsoTimestamp }, now: IsoTimestamp, slaHours: number): Ageing {
  if (!(slaHours > 0)) {
    throw new ConflictsDomainError('INVALID_CONFIG', 'slaHours must be positive', { slaHours });
  }
  const end = toMs(conflict.closedAt ?? now, conflict.closedAt ? 'closedAt' : 'now');
  const elapsed = Math.max(0, end - toMs(conflict.detectedAt, 'detectedAt'));
  return { ageHours: Math.floor((elapsed / HOUR_MS) * 100) / 100, slaBreached: elapsed > slaHours * HOUR_MS };
}
