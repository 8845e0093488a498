/** Canonical subsidiary events for integration tests, validated exactly as a consumer parses them. */
import {
  createEvent, formatIssues, generateResidentId, protectIdentity, seededRng, type ConsentChangedPayload, type PayloadOf,
  type RelationshipDeclaredPayload, type SubsidiaryEvent, type SubsidiaryEventType,
} from '@lib/contracts';
import { randomUUID } from 'node:crypto';
import { TEST_HMAC_KEY } from './identity-app';

type Sub = 'life' | 'pnc' | 'group';

export interface PersonFields {
  name: string;
  gender?: 'M' | 'F' | 'U';
  birthDate?: string;
  idNumber?: string;
  phones?: string[];
  address?: string;
}

const rng = seededRng(20260301);
export const residentId = (birthDate: string, gender: 'M' | 'F' = 'M'): string => generateResidentId(rng, { birthDate, gender });

/** Events get increasing occurredAt times, one minute apart, unless a test fixes one. */
export class ClientEvents {
  private clock = Date.parse('2026-03-01T00:00:00.000Z');

  next(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }

  envelope<T extends SubsidiaryEventType>(type: T, subsidiary: Sub, payload: PayloadOf<T>, occurredAt = this.next()): SubsidiaryEvent {
    const result = createEvent({ type, eventId: randomUUID(), subsidiary, occurredAt, correlationId: `test-${randomUUID()}`, payload });
    if (!result.ok) throw new Error(`invalid test event ${type}: ${formatIssues(result.issues)}`);
    return result.event as SubsidiaryEvent;
  }

  private personPayload(localId: string, p: PersonFields) {
    return {
      localId, kind: 'person' as const, name: p.name, gender: p.gender ?? 'M',
      ...(p.birthDate ? { birthDate: p.birthDate } : {}),
      ...(p.idNumber ? { identity: protectIdentity({ type: 'RESIDENT_ID', number: p.idNumber }, { hashKey: TEST_HMAC_KEY }) } : {}),
      ...(p.phones ? { phones: p.phones } : {}),
      ...(p.address ? { address: p.address } : {}),
    };
  }

  registered(subsidiary: Sub, localId: string, p: PersonFields, occurredAt?: string): SubsidiaryEvent {
    return this.envelope('ClientRegistered', subsidiary, this.personPayload(localId, p), occurredAt);
  }

  updated(subsidiary: Sub, localId: string, p: PersonFields, occurredAt?: string): SubsidiaryEvent {
    return this.envelope('ClientUpdated', subsidiary, this.personPayload(localId, p), occurredAt);
  }

  consent(subsidiary: Sub, localId: string, scope: ConsentChangedPayload['scope'], granted: boolean, at = this.next()): SubsidiaryEvent {
    return this.envelope('ConsentChanged', subsidiary, { localId, scope, granted, at, source: 'app' }, at);
  }

  relationship(subsidiary: Sub, fromLocalId: string, kind: RelationshipDeclaredPayload['kind'], toLocalId: string): SubsidiaryEvent {
    return this.envelope('RelationshipDeclared', subsidiary, { fromLocalId, toLocalId, kind });
  }
}
