import { CreditLine } from './credit-line';
import { CreditContext } from './credit-lines';
import { Dec, ZERO, fmt } from './money';
import { PolicyStream, recompute } from './recompute';
import { CreditRuleSet } from './rule-set';
import { publishOnto } from './rule-timeline';

interface Pair {
  standardPremium: Dec;
  weightedCredit: Dec;
}

export interface ShadowDiff {
  readonly side: string;
  readonly level: string;
  readonly beneficiaryId: string;
  readonly current: { readonly standardPremium: string; readonly weightedCredit: string };
  readonly draft: { readonly standardPremium: string; readonly weightedCredit: string };
  readonly delta: { readonly standardPremium: string; readonly weightedCredit: string };
}

export interface ShadowReport {
  readonly draftVersion: string;
  readonly perAgent: ShadowDiff[];
  readonly perSubsidiary: ShadowDiff[];
}

function aggregate(streams: Iterable<PolicyStream>, ctx: CreditContext): Map<string, Pair> {
  const sums = new Map<string, Pair>();
  recompute(streams, ctx, (line: CreditLine) => {
    if (line.level !== 'agent' && line.level !== 'subsidiary') return;
    const key = `${line.side}|${line.level}|${line.beneficiaryId}`;
    const pair = sums.get(key) ?? { standardPremium: ZERO, weightedCredit: ZERO };
    sums.set(key, { standardPremium: pair.standardPremium.plus(line.standardPremium), weightedCredit: pair.weightedCredit.plus(line.weightedCredit) });
  });
  return sums;
}

const NONE: Pair = { standardPremium: ZERO, weightedCredit: ZERO };
const show = (p: Pair) => ({ standardPremium: fmt(p.standardPremium), weightedCredit: fmt(p.weightedCredit) });

/**
 * Evaluates a draft rule set over the whole history as if it were published (it is not): per
 * agent and per subsidiary, what changes. `streams` is called twice (once per rule timeline).
 */
export function shadowRun(streams: () => Iterable<PolicyStream>, current: CreditContext, draft: CreditRuleSet): ShadowReport {
  const before = aggregate(streams(), current);
  const after = aggregate(streams(), { ...current, timeline: publishOnto(current.timeline, draft) });
  const diffs: ShadowDiff[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [side, level, beneficiaryId] = key.split('|');
    const b = before.get(key) ?? NONE;
    const a = after.get(key) ?? NONE;
    const delta = { standardPremium: a.standardPremium.minus(b.standardPremium), weightedCredit: a.weightedCredit.minus(b.weightedCredit) };
    if (delta.standardPremium.isZero() && delta.weightedCredit.isZero()) continue;
    diffs.push({ side, level, beneficiaryId, current: show(b), draft: show(a), delta: show(delta) });
  }
  return {
    draftVersion: draft.version,
    perAgent: diffs.filter((d) => d.level === 'agent'),
    perSubsidiary: diffs.filter((d) => d.level === 'subsidiary'),
  };
}
