import { PRODUCT_LINES_BY_SUBSIDIARY, SUBSIDIARIES } from '@lib/contracts';
import { comparePositions, type EventStore, type RecordedEvent } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { Projection, ProjectionContext } from '../../infrastructure/projections/projection.types';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { buildClientView, evolve, HoldingFact, initialState, PartyEvent, partyStreamId, ProductLineRef, RelationshipFact } from '../domain';
import { partyEventsOf } from '../inbound/party-streams';
import type { RelationshipEvent } from '../inbound/relationship.events';
import {
  CLIENT_LOOKUP, CLIENT_VIEW, findPolicy, partiesOfKeys, policiesOfKeys, relationshipsOfKeys, saveRelationship, savePolicy, saveView,
  setLookup, VIEW_POLICIES, VIEW_RELATIONSHIPS,
} from './client-view.store';
import { applyPolicyEvent, claimsFor, holdingsFor, partyKey, partyKeysOf, POLICY_EVENT_TYPES, PolicyEvent } from './policy-fold';

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
    // The last event that touched a party stamps its view, whatever the batch boundaries were.
    const touched = new Map<string, RecordedEvent>();
    for (const event of events) {
      for (const partyId of await this.record(event, ctx)) touched.set(partyId, event);
    }
    const end = events[events.length - 1]?.globalPosition;
    for (const [partyId, event] of touched) await this.rebuildView(partyId, event, end, ctx);
  }

  private async record(event: RecordedEvent, ctx: ProjectionContext): Promise<string[]> {
    if ((PARTY_EVENT_TYPES as readonly string[]).includes(event.type)) return this.recordParty({ type: event.type, data: event.data } as PartyEvent, ctx);
    if (event.type === 'RelationshipRecorded') return this.recordRelationship(event.data as RelationshipEvent['data'], ctx);
    return this.recordPolicy({ type: event.type, data: event.data } as PolicyEvent, ctx);
  }

  private async recordParty(e: PartyEvent, ctx: ProjectionContext): Promise<string[]> {
    switch (e.type) {
      case 'SourceRecordLinked':
        await setLookup(ctx, [e.data.record], e.data.partyId);
        return [e.data.partyId];
      case 'PartiesMerged':
        await setLookup(ctx, e.data.links, e.data.survivorId);
        return [e.data.survivorId, e.data.absorbedId, ...(await this.relatedTo(e.data.links, ctx))];
      case 'PartiesUnmerged':
        return [e.data.survivorId, e.data.absorbedId];
      case 'PartyRestored':
        await setLookup(ctx, e.data.links, e.data.partyId);
        return [e.data.partyId, e.data.survivorId, ...(await this.relatedTo(e.data.links, ctx))];
      case 'PartyMergedInto':
        return [e.data.partyId, e.data.survivorId];
      default:
        return [e.data.partyId];
    }
  }

  /** Parties at the other end of the links' relationships: their views name the moved party. */
  private async relatedTo(links: Array<{ subsidiary: string; localId: string }>, ctx: ProjectionContext): Promise<string[]> {
    const rels = await relationshipsOfKeys(ctx, links.map((l) => partyKey(l.subsidiary, l.localId)));
    const ends = rels.flatMap((r) => [partyKey(r.subsidiary, r.fromLocalId), partyKey(r.subsidiary, r.toLocalId)]);
    return [...(await partiesOfKeys(ctx, ends)).values()];
  }

  private async recordRelationship(r: RelationshipEvent['data'], ctx: ProjectionContext): Promise<string[]> {
    const keys = [partyKey(r.subsidiary, r.fromLocalId), partyKey(r.subsidiary, r.toLocalId)];
    await saveRelationship(ctx, r, keys);
    return [r.fromPartyId, r.toPartyId, ...(await partiesOfKeys(ctx, keys)).values()];
  }

  private async recordPolicy(e: PolicyEvent, ctx: ProjectionContext): Promise<string[]> {
    const { subsidiary, policyNo, partyId } = e.data;
    const policy = applyPolicyEvent(await findPolicy(ctx, subsidiary, policyNo), e);
    if (!policy) return [];
    const keys = partyKeysOf(policy);
    await savePolicy(ctx, policy, keys);
    return [partyId, ...(await partiesOfKeys(ctx, keys)).values()];
  }

  private async rebuildView(partyId: string, stamp: RecordedEvent, end: string, ctx: ProjectionContext): Promise<void> {
    const recorded = await this.store.readStream(partyStreamId(partyId), { manager: ctx.manager });
    const partyEvents = partyEventsOf(recorded.filter((r) => comparePositions(r.globalPosition, end) <= 0));
    const state = partyEvents.reduce(evolve, initialState());
    if (state.status === 'empty') return;
    const keys = Object.values(state.links).map((l) => partyKey(l.subsidiary, l.localId));
    const keySet = new Set(keys);
    const policies = await policiesOfKeys(ctx, keys);
    const view = buildClientView({
      partyEvents,
      holdings: policies.flatMap((p) => holdingsFor(p, keySet)).sort(byHolding),
      claims: policies.flatMap((p) => claimsFor(p, keySet)),
      relationships: await this.relationshipFacts(keys, ctx),
      openReferralIds: [],
      openConflictIds: [],
      allProductLines: ALL_PRODUCT_LINES,
      asOf: stamp.recordedAt.toISOString(),
    });
    await saveView(ctx, view, stamp.recordedAt, stamp.globalPosition);
  }

  /** Ended relationships (`until` set) leave the view; both ends resolve through the look-up, so merges show. */
  private async relationshipFacts(keys: string[], ctx: ProjectionContext): Promise<RelationshipFact[]> {
    const rels = (await relationshipsOfKeys(ctx, keys)).filter((r) => r.until === null);
    const ends = await partiesOfKeys(ctx, rels.flatMap((r) => [partyKey(r.subsidiary, r.fromLocalId), partyKey(r.subsidiary, r.toLocalId)]));
    return rels.map((r) => ({
      relationshipId: r.relationshipId, subsidiary: r.subsidiary, type: r.type, declaredAt: r.declaredAt,
      fromPartyId: ends.get(partyKey(r.subsidiary, r.fromLocalId)) ?? r.fromPartyId,
      toPartyId: ends.get(partyKey(r.subsidiary, r.toLocalId)) ?? r.toPartyId,
    }));
  }
}
