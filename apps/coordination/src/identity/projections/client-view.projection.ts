import { PRODUCT_LINES_BY_SUBSIDIARY, SUBSIDIARIES } from '@lib/contracts';
import { comparePositions, type EventStore, type RecordedEvent } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { Projection, ProjectionContext } from '../../infrastructure/projections/projection.types';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { buildClientView, evolve, HoldingFact, initialState, PartyEvent, partyStreamId, ProductLineRef, RelationshipFact } from '../domain';
import { partyEventsOf } from '../inbound/party-streams';
import type { RelationshipEvent } from '../inbound/relationship.events';
import {
  CLIENT_LOOKUP, CLIENT_VIEW, naming, policiesOfKeys, relationshipsOfKeys, saveRelationship, saveViews, VIEW_POLICIES, VIEW_RELATIONSHIPS, ViewBatch,
} from './client-view.store';
import { applyPolicyEvent, claimsFor, holdingsFor, partyKey, partyKeysOf, POLICY_EVENT_TYPES, PolicyEvent, RecordedPolicyEvent } from './policy-fold';

const PARTY_EVENT_TYPES: ReadonlyArray<PartyEvent['type']> = [
  'PartyRegistered', 'SourceRecordLinked', 'SourceRecordUpdated', 'ConsentChanged', 'PartiesMerged', 'PartyMergedInto', 'PartiesUnmerged', 'PartyRestored',
];
const ALL_PRODUCT_LINES: ProductLineRef[] = SUBSIDIARIES.flatMap((subsidiary) => PRODUCT_LINES_BY_SUBSIDIARY[subsidiary].map((productLine) => ({ subsidiary, productLine })));

const byHolding = (a: HoldingFact, b: HoldingFact) => `${a.subsidiary}|${a.policyNo}|${a.role}`.localeCompare(`${b.subsidiary}|${b.policyNo}|${b.role}`);

/**
 * The 360° view (projection `client-view`). Each event first updates the projection's
 * own fact tables (link look-up, folded policies, relationships), then every party it
 * touched is rebuilt with the domain's buildClientView from the party stream as of the
 * batch's last position. Nothing is read that the event store could not rebuild.
 */
@Injectable()
export class ClientViewProjection implements Projection {
  readonly name = 'client-view';
  readonly tables = [
    { name: CLIENT_VIEW, primaryKey: 'party_id' },
    { name: CLIENT_LOOKUP, primaryKey: 'subsidiary, local_id' },
    { name: VIEW_POLICIES, primaryKey: 'subsidiary, policy_no' },
    { name: VIEW_RELATIONSHIPS, primaryKey: 'relationship_id' },
  ];
  readonly types = [...PARTY_EVENT_TYPES, 'RelationshipRecorded', ...POLICY_EVENT_TYPES];

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async apply(events: RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const batch = new ViewBatch(ctx);
    await batch.preloadPolicies(events.filter((e) => !this.isPartyEvent(e) && e.type !== 'RelationshipRecorded').map((e) => e.data as PolicyEvent['data']));
    // The last event that touched a party stamps its view, whatever the batch boundaries were.
    const touched = new Map<string, RecordedEvent>();
    for (const event of events) {
      for (const partyId of await this.record(event, batch)) touched.set(partyId, event);
    }
    await batch.flush();
    const end = events[events.length - 1]?.globalPosition;
    await this.rebuildViews(touched, end, batch);
  }

  private isPartyEvent(event: RecordedEvent): boolean {
    return (PARTY_EVENT_TYPES as readonly string[]).includes(event.type);
  }

  private async record(event: RecordedEvent, batch: ViewBatch): Promise<string[]> {
    if (this.isPartyEvent(event)) return this.recordParty({ type: event.type, data: event.data } as PartyEvent, batch);
    if (event.type === 'RelationshipRecorded') return this.recordRelationship(event.data as RelationshipEvent['data'], batch);
    return this.recordPolicy({ type: event.type, data: event.data, eventId: event.eventId } as RecordedPolicyEvent, batch);
  }

  private async recordParty(e: PartyEvent, batch: ViewBatch): Promise<string[]> {
    switch (e.type) {
      case 'SourceRecordLinked':
        batch.setLookup([e.data.record], e.data.partyId);
        return [e.data.partyId];
      case 'PartiesMerged':
        batch.setLookup(e.data.links, e.data.survivorId);
        return [e.data.survivorId, e.data.absorbedId, ...(await this.relatedTo(e.data.links, batch))];
      case 'PartiesUnmerged':
        return [e.data.survivorId, e.data.absorbedId];
      case 'PartyRestored':
        batch.setLookup(e.data.links, e.data.partyId);
        return [e.data.partyId, e.data.survivorId, ...(await this.relatedTo(e.data.links, batch))];
      case 'PartyMergedInto':
        return [e.data.partyId, e.data.survivorId];
      default:
        return [e.data.partyId];
    }
  }

  /** Parties at the other end of the links' relationships: their views name the moved party. */
  private async relatedTo(links: Array<{ subsidiary: string; localId: string }>, batch: ViewBatch): Promise<string[]> {
    const rels = (await relationshipsOfKeys(batch, links.map((l) => partyKey(l.subsidiary, l.localId)))).map((r) => r.row);
    const ends = rels.flatMap((r) => [partyKey(r.subsidiary, r.fromLocalId), partyKey(r.subsidiary, r.toLocalId)]);
    return [...(await batch.partiesOfKeys(ends)).values()];
  }

  private async recordRelationship(r: RelationshipEvent['data'], batch: ViewBatch): Promise<string[]> {
    const keys = [partyKey(r.subsidiary, r.fromLocalId), partyKey(r.subsidiary, r.toLocalId)];
    await saveRelationship(batch, r, keys);
    return [r.fromPartyId, r.toPartyId, ...(await batch.partiesOfKeys(keys)).values()];
  }

  private async recordPolicy(e: RecordedPolicyEvent, batch: ViewBatch): Promise<string[]> {
    const { subsidiary, policyNo, partyId } = e.data;
    const policy = applyPolicyEvent(await batch.findPolicy(subsidiary, policyNo), e);
    if (!policy) return [];
    const keys = partyKeysOf(policy);
    batch.savePolicy(policy, keys);
    return [partyId, ...(await batch.partiesOfKeys(keys)).values()];
  }

  /**
   * Every touched party's view from its stream as of the batch's last position, with one
   * read per table for the whole batch (streams, policies, relationships) and one write.
   */
  private async rebuildViews(touched: Map<string, RecordedEvent>, end: string, batch: ViewBatch): Promise<void> {
    if (touched.size === 0) return;
    const streams = await this.store.readStreams([...touched.keys()].map(partyStreamId), { manager: batch.manager });
    const parties = [...touched].flatMap(([partyId, stamp]) => {
      const partyEvents = partyEventsOf(streams.get(partyStreamId(partyId))!.filter((r) => comparePositions(r.globalPosition, end) <= 0));
      const state = partyEvents.reduce(evolve, initialState());
      if (state.status === 'empty') return [];
      const keys = new Set(Object.values(state.links).map((l) => partyKey(l.subsidiary, l.localId)));
      return [{ stamp, partyEvents, keys }];
    });
    const allKeys = parties.flatMap((p) => [...p.keys]);
    const policies = await policiesOfKeys(batch, allKeys);
    const relationships = (await relationshipsOfKeys(batch, allKeys)).filter((r) => r.row.until === null);
    const ends = await batch.partiesOfKeys(relationships.flatMap(({ row: r }) => [partyKey(r.subsidiary, r.fromLocalId), partyKey(r.subsidiary, r.toLocalId)]));
    const views = parties.map(({ stamp, partyEvents, keys }) => {
      const held = naming(policies, keys);
      const view = buildClientView({
        partyEvents,
        holdings: held.flatMap((p) => holdingsFor(p, keys)).sort(byHolding),
        claims: held.flatMap((p) => claimsFor(p, keys)),
        relationships: relationshipFacts(naming(relationships, keys), ends),
        openReferralIds: [],
        openConflictIds: [],
        allProductLines: ALL_PRODUCT_LINES,
        asOf: stamp.recordedAt.toISOString(),
      });
      return { view, at: stamp.recordedAt, position: stamp.globalPosition };
    });
    await saveViews(batch, views);
  }
}

/** Ended relationships (`until` set) are left out by the caller; both ends resolve through the look-up, so merges show. */
function relationshipFacts(rels: RelationshipEvent['data'][], ends: Map<string, string>): RelationshipFact[] {
  return rels.map((r) => ({
    relationshipId: r.relationshipId, subsidiary: r.subsidiary, type: r.type, declaredAt: r.declaredAt,
    fromPartyId: ends.get(partyKey(r.subsidiary, r.fromLocalId)) ?? r.fromPartyId,
    toPartyId: ends.get(partyKey(r.subsidiary, r.toLocalId)) ?? r.toPartyId,
  }));
}
