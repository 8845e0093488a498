/**
 * Rules a payload schema alone cannot check because they need the envelope:
 * the publishing subsidiary and the time the event occurred. Keeping them here
 * means every consumer applies them, not just the service that produced the event.
 */
import { subsidiaryUnderwrites } from './codes';
import type { CanonicalEvent } from './envelope';
import type { ContractIssue } from './issues';

function birthDateNotAfterOccurrence(event: CanonicalEvent): ContractIssue[] {
  if (event.type !== 'ClientRegistered' && event.type !== 'ClientUpdated') return [];
  const { payload } = event;
  // occurredAt carries its own offset; its calendar date in that offset is the local "today".
  if (payload.kind !== 'person' || !payload.birthDate || payload.birthDate <= event.occurredAt.slice(0, 10)) return [];
  return [{ path: 'payload.birthDate', code: 'custom', message: 'must not be after occurredAt (a birth date in the future)' }];
}

function productLineOfPublisher(event: CanonicalEvent): ContractIssue[] {
  if (event.type !== 'PolicyIssued' || subsidiaryUnderwrites(event.subsidiary, event.payload.productLine)) return [];
  return [{ path: 'payload.productLine', code: 'custom', message: `${event.payload.productLine} is not a ${event.subsidiary} product line` }];
}

export function checkInContext(event: CanonicalEvent): ContractIssue[] {
  return [...birthDateNotAfterOccurrence(event), ...productLineOfPublisher(event)];
}
