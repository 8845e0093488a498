/**
 * Golden record: one value per field, chosen by a stated rule, each carrying the
 * subsidiary, local id and time it came from so the 360° view can cite it.
 */
import { PartyLink, Subsidiary } from './identity.types';

export interface GoldenValue<T> {
  value: T;
  subsidiary: Subsidiary;
  localId: string;
  asOf: string;
}

export interface GoldenProfile {
  name: GoldenValue<string> | null;
  gender: GoldenValue<'M' | 'F'> | null;
  birthDate: GoldenValue<string> | null;
  /** Masked only: the hash stays in the party stream, never in a view. */
  identity: GoldenValue<{ type: string; masked: string }> | null;
  phones: GoldenValue<string[]> | null;
  emails: GoldenValue<string[]> | null;
  address: GoldenValue<string> | null;
  creditCode: GoldenValue<string> | null;
  industry: GoldenValue<string> | null;
  size: GoldenValue<string> | null;
}
export type GoldenField = keyof GoldenProfile;

export type SurvivorshipRule =
  /** Regulated facts: trust the subsidiary that checks them hardest (life underwrites with the ID card). */
  | { kind: 'source-priority'; order: Subsidiary[] }
  /** Contact data goes stale: the latest verified value wins, else the latest at all. */
  | { kind: 'most-recent'; preferVerified: boolean };

export type SurvivorshipRules = Record<GoldenField, SurvivorshipRule>;

const byPriority = (order: Subsidiary[]): SurvivorshipRule => ({ kind: 'source-priority', order });
const recentVerified: SurvivorshipRule = { kind: 'most-recent', preferVerified: true };

export const DEFAULT_SURVIVORSHIP_RULES: SurvivorshipRules = {
  name: recentVerified,
  gender: byPriority(['life', 'group', 'pnc']),
  birthDate: byPriority(['life', 'group', 'pnc']),
  identity: byPriority(['life', 'group', 'pnc']),
  phones: recentVerified,
  emails: recentVerified,
  address: recentVerified,
  creditCode: byPriority(['group', 'pnc', 'life']),
  industry: byPriority(['group', 'pnc', 'life']),
  size: byPriority(['group', 'pnc', 'life']),
};

type Extractors = { [F in GoldenField]: (l: PartyLink) => NonNullable<GoldenProfile[F]>['value'] | undefined };

const EXTRACT: Extractors = {
  name: (l) => l.record.name || undefined,
  gender: (l) => l.record.gender,
  birthDate: (l) => l.record.birthDate,
  identity: (l) => (l.record.identity ? { type: l.record.identity.type, masked: l.record.identity.masked } : undefined),
  phones: (l) => (l.record.phones.length ? l.record.phones : undefined),
  emails: (l) => (l.record.emails.length ? l.record.emails : undefined),
  address: (l) => l.record.address,
  creditCode: (l) => l.record.creditCode,
  industry: (l) => l.record.industry,
  size: (l) => l.record.size,
};

/** Total order so the golden record never depends on the order links arrived in. */
function compareLinks(rule: SurvivorshipRule, a: PartyLink, b: PartyLink): number {
  if (rule.kind === 'source-priority') {
    const rank = (l: PartyLink) => {
      const i = rule.order.indexOf(l.subsidiary);
      return i < 0 ? rule.order.length : i;
    };
    const byRank = rank(a) - rank(b);
    if (byRank !== 0) return byRank;
  } else if (rule.preferVerified && !!a.record.verified !== !!b.record.verified) {
    return a.record.verified ? -1 : 1;
  }
  if (a.record.occurredAt !== b.record.occurredAt) return a.record.occurredAt > b.record.occurredAt ? -1 : 1;
  return `${a.subsidiary}:${a.localId}`.localeCompare(`${b.subsidiary}:${b.localId}`);
}

function pick<F extends GoldenField>(field: F, rule: SurvivorshipRule, links: PartyLink[]): GoldenProfile[F] {
  const extract = EXTRACT[field] as (l: PartyLink) => unknown;
  const winner = links.filter((l) => extract(l) !== undefined).sort((a, b) => compareLinks(rule, a, b))[0];
  if (!winner) return null;
  const { subsidiary, localId } = winner;
  return { value: extract(winner), subsidiary, localId, asOf: winner.record.occurredAt } as GoldenProfile[F];
}

export function goldenProfile(links: PartyLink[], rules: SurvivorshipRules = DEFAULT_SURVIVORSHIP_RULES): GoldenProfile {
  const fields = Object.keys(EXTRACT) as GoldenField[];
  return Object.fromEntries(fields.map((f) => [f, pick(f, rules[f], links)])) as unknown as GoldenProfile;
}
