import { Claimant, DetectedConflict, claimantKey } from '../conflicts.types';
import { ConflictFacts } from '../rules/facts';
import { DEFAULT_PRECEDENCE, Precedence, ResolutionRuleName } from './precedence';
import { RESOLUTION_RULE_FNS } from './resolution-rules';

export type QueueReason = 'always-queue' | 'no-rule-decided';

export type Resolution =
  | { readonly outcome: 'auto-resolved'; readonly winner: Claimant; readonly decidedByRule: ResolutionRuleName }
  | { readonly outcome: 'queue'; readonly reason: QueueReason };

/** Applies the precedence: the first rule that names exactly one winner decides, else the conflict waits for a coordinator. */
export function resolve(conflict: DetectedConflict, facts: ConflictFacts, precedence: Precedence = DEFAULT_PRECEDENCE): Resolution {
  if (precedence.alwaysQueue.includes(conflict.kind)) return { outcome: 'queue', reason: 'always-queue' };
  for (const rule of precedence.order) {
    const winner = RESOLUTION_RULE_FNS[rule](conflict, facts);
    if (winner) return { outcome: 'auto-resolved', winner, decidedByRule: rule };
  }
  return { outcome: 'queue', reason: 'no-rule-decided' };
}

/** Two resolutions decide the same way when both queue or both award the same claimant (the rule may differ). */
export function sameOutcome(a: Resolution, b: Resolution): boolean {
  if (a.outcome === 'queue' || b.outcome === 'queue') return a.outcome === b.outcome;
  return claimantKey(a.winner) === claimantKey(b.winner);
}
