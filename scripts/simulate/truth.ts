/**
 * What the simulator knows it generated, to print next to what the system observed:
 * how many distinct clients there really are, who holds products of several
 * subsidiaries, and which conflicts it staged.
 */
import type { Subsidiary } from '@lib/contracts';
import { isoDate } from './calendar';
import type { SimContext } from './context';
import type { Population } from './population';
import type { EntityTruth, GroundTruth } from './types';

const SUBS: Subsidiary[] = ['life', 'pnc', 'group'];

export function entityTruths(population: Population): EntityTruth[] {
  return population.entities
    .filter((e) => Object.keys(e.records).length > 0)
    .map((e) => ({
      id: e.id,
      kind: e.kind,
      records: SUBS.flatMap((s) => (e.records[s] ? [{ subsidiary: s, localId: e.records[s]!.localId }] : [])),
      holderSubsidiaries: SUBS.filter((s) => e.holderSubs.has(s)),
    }));
}

export function groundTruth(ctx: SimContext, population: Population, entities: EntityTruth[]): GroundTruth {
  const t = (name: string) => ctx.tally[name] ?? 0;
  const records = population.entities.flatMap((e) => Object.values(e.records).map((r) => r!));
  const holders = entities.filter((e) => e.holderSubsidiaries.length > 0).length;
  const crossSale = entities.filter((e) => e.holderSubsidiaries.length > 1).length;
  const bySubCount: [number, number, number] = [0, 0, 0];
  for (const p of population.persons) {
    const n = Object.keys(p.records).length;
    if (n > 0) bySubCount[n - 1] += 1;
  }
  const prefixed = (prefix: string) =>
    Object.fromEntries(Object.entries(ctx.tally).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  const dup = t('conflicts.duplicateRegistration');
  const pvr = t('conflicts.policyVsRegistration');
  const clash = t('conflicts.channelQuoteClash');
  return {
    start: ctx.options.start,
    end: isoDate(ctx.calendar.endDay),
    months: ctx.options.months,
    persons: population.persons.filter((p) => Object.keys(p.records).length > 0).length,
    organizations: population.companies.filter((c) => Object.keys(c.records).length > 0).length,
    expectedPartyCount: entities.length,
    records: {
      life: t('records.life'), pnc: t('records.pnc'), group: t('records.group'), total: records.length,
      withoutIdentity: records.filter((r) => r.noIdentity).length,
      typoNames: records.filter((r) => r.variant === 'typo').length,
      traditionalNames: records.filter((r) => r.variant === 'traditional').length,
    },
    personsBySubsidiaryCount: bySubCount,
    holders,
    expectedCrossSaleClients: crossSale,
    expectedCrossSaleRate: holders === 0 ? 0 : crossSale / holders,
    referrals: {
      registered: t('referrals.registered'), converted: t('referrals.converted'), lost: t('referrals.lost'),
      bySide: prefixed('referrals.side.'), convertedBySide: prefixed('referrals.convertedSide.'),
    },
    conflicts: { duplicateRegistration: dup, policyVsRegistration: pvr, channelQuoteClash: clash, expectedAutoResolved: dup + pvr, expectedQueued: clash },
    agents: {
      total: t('agents'), leaders: t('agents.leaders'), hiredInPeriod: t('agents.hired'), transferred: t('agents.transferred'),
      terminated: t('agents.terminated'), byChannel: prefixed('agents.channel.'),
    },
    policies: {
      issued: t('policies.issued'), issuedBeforePeriod: t('policies.beforePeriod'), renewals: t('policies.renewals'),
      endorsements: t('policies.endorsements'), cancellations: t('policies.cancellations'), freeLookCancellations: t('policies.freeLookCancellations'),
      lapses: t('policies.lapses'), reinstatements: t('policies.reinstatements'), claimsReported: t('policies.claimsReported'), claimsSettled: t('policies.claimsSettled'),
    },
    orphanPolicies: t('orphanPolicies'),
    consents: t('consents'),
    relationships: t('relationships'),
    activities: t('activities'),
    clientUpdates: t('clientUpdates'),
  };
}
