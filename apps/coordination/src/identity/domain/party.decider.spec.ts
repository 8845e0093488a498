import { IdentityErrorCode as Code } from './identity.errors';
import { decide, evolve, initialState } from './party.decider';
import { PartyEvent } from './party.events';
import { deciderSpec } from './testing/decider-spec';
import { matchRecords } from './matching';
import { person, T0, T1, T2 } from './testing/fixtures';

const spec = deciderSpec({ decide, evolve, initialState });
const life = person();
const pncRecord = person({ subsidiary: 'pnc', localId: 'PNC-1', identity: undefined, name: '徐思遠' });
const evidence = [{ field: 'name', comparison: 'exact', weight: 10.78 }];

const registered: PartyEvent[] = [
  { type: 'PartyRegistered', data: { partyId: 'P1', kind: 'person', registeredAt: T0 } },
  { type: 'SourceRecordLinked', data: { partyId: 'P1', record: life, method: 'origin', score: null, evidence: [], linkedAt: T0 } },
];

describe('Party decider', () => {
  it('given nothing, when a source record is registered, then a party is born with its first link', () =>
    spec([]).when({ type: 'RegisterSourceRecord', data: { partyId: 'P1', record: life, currentPartyId: null, now: T0 } }).then(registered));

  it('given a registered party, when registered again, then it refuses', () =>
    spec(registered)
      .when({ type: 'RegisterSourceRecord', data: { partyId: 'P1', record: life, currentPartyId: null, now: T1 } })
      .thenThrows(Code.PartyAlreadyRegistered));

  it('given a party, when another subsidiary record is linked with evidence, then SourceRecordLinked carries it', () =>
    spec(registered)
      .when({ type: 'LinkSourceRecord', data: { partyId: 'P1', record: pncRecord, currentPartyId: null, method: 'probabilistic', score: 0.998, evidence, now: T1 } })
      .then([{ type: 'SourceRecordLinked', data: { partyId: 'P1', record: pncRecord, method: 'probabilistic', score: 0.998, evidence, linkedAt: T1 } }]));

  it('given a link owned by another party, when linked here, then it refuses (one link, one party)', () =>
    spec(registered)
      .when({ type: 'LinkSourceRecord', data: { partyId: 'P1', record: pncRecord, currentPartyId: 'P9', method: 'manual', score: null, evidence: [], now: T1 } })
      .thenThrows(Code.LinkOwnedByOtherParty));

  it('given a link already on the party, when linked again, then it refuses', () =>
    spec(registered)
      .when({ type: 'LinkSourceRecord', data: { partyId: 'P1', record: life, currentPartyId: 'P1', method: 'manual', score: null, evidence: [], now: T1 } })
      .thenThrows(Code.LinkAlreadyOnParty));

  it('given a person, when an organisation record is linked, then it refuses', () =>
    spec(registered)
      .when({ type: 'LinkSourceRecord', data: { partyId: 'P1', record: { ...pncRecord, kind: 'organization' }, currentPartyId: null, method: 'manual', score: null, evidence: [], now: T1 } })
      .thenThrows(Code.KindMismatch));

  it('given a linked record, when a newer version arrives, then SourceRecordUpdated', () => {
    const newer = { ...life, phones: ['13911112222'], occurredAt: T1 };
    spec(registered)
      .when({ type: 'UpdateSourceRecord', data: { partyId: 'P1', record: newer, now: T2 } })
      .then([{ type: 'SourceRecordUpdated', data: { partyId: 'P1', record: newer, updatedAt: T2 } }]);
  });

  it('given a linked record, when an older version arrives late, then nothing changes', () =>
    spec(registered)
      .when({ type: 'UpdateSourceRecord', data: { partyId: 'P1', record: { ...life, occurredAt: '2025-01-01T00:00:00.000Z' }, now: T2 } })
      .then([]));

  it('given a party, when an unknown record is updated, then it refuses', () =>
    spec(registered)
      .when({ type: 'UpdateSourceRecord', data: { partyId: 'P1', record: pncRecord, now: T1 } })
      .thenThrows(Code.LinkNotOnParty));

  it('given a party, when consent changes for a link, then ConsentChanged and the link carries it', () => {
    const data = { partyId: 'P1', subsidiary: 'life' as const, localId: life.localId, groupSharing: true, marketing: false };
    spec(registered).when({ type: 'ChangeConsent', data: { ...data, now: T1 } }).then([{ type: 'ConsentChanged', data: { ...data, changedAt: T1 } }]);
    const state = [...registered, { type: 'ConsentChanged', data: { ...data, changedAt: T1 } } as PartyEvent].reduce(evolve, initialState());
    expect(state.status !== 'empty' && state.links['life:LIFE-0000107'].consent).toEqual({ groupSharing: true, marketing: false, changedAt: T1 });
  });

  it('given no party, when a record is linked, then not found', () =>
    spec([])
      .when({ type: 'LinkSourceRecord', data: { partyId: 'P1', record: pncRecord, currentPartyId: null, method: 'manual', score: null, evidence: [], now: T1 } })
      .thenThrows(Code.PartyNotFound));
});

describe('matching feeds linking', () => {
  it('given a party and an auto-link outcome, when linked probabilistically, then the evidence is kept on the link', () => {
    const outcome = matchRecords(life, pncRecord);
    expect(outcome.decision).toBe('auto-link');
    const events = decide(
      { type: 'LinkSourceRecord', data: { partyId: 'P1', record: pncRecord, currentPartyId: null, method: outcome.method, score: outcome.score, evidence: outcome.evidence, now: T1 } },
      registered.reduce(evolve, initialState()),
    );
    const state = [...registered, ...events].reduce(evolve, initialState());
    expect(state.status !== 'empty' && state.links['pnc:PNC-1']).toMatchObject({ method: 'probabilistic', evidence: outcome.evidence });
  });
});
