/**
 * Which party a new subsidiary record belongs to, given the records that share a
 * blocking key with it. Pure: the handler does the look-ups and the writing.
 */
import { matchRecords, MatchOutcome, MatchThresholds, SourceClientRecord } from '../domain';

export interface Candidate {
  partyId: string;
  record: SourceClientRecord;
}

export type Resolution =
  | { kind: 'link'; partyId: string; outcome: MatchOutcome }
  | { kind: 'review'; partyId: string; outcome: MatchOutcome }
  | { kind: 'new' };

const rank = (o: MatchOutcome): number => (o.decision === 'auto-link' ? 1 : 0);

/**
 * Scores the record against every candidate and keeps each party's best score. A party
 * holding a record with a *different* identity number or credit code is ruled out
 * whatever its other records score: one conflicting document outweighs a similar name.
 */
export function resolveAgainst(record: SourceClientRecord, candidates: Candidate[], thresholds: MatchThresholds): Resolution {
  const best = new Map<string, MatchOutcome>();
  const ruledOut = new Set<string>();
  for (const c of candidates) {
    if (c.record.subsidiary === record.subsidiary && c.record.localId === record.localId) continue;
    const outcome = matchRecords(record, c.record, thresholds);
    if (outcome.method === 'deterministic' && outcome.decision === 'separate') ruledOut.add(c.partyId);
    const current = best.get(c.partyId);
    if (!current || outcome.score > current.score) best.set(c.partyId, outcome);
  }
  const ranked = [...best.entries()]
    .filter(([partyId, o]) => !ruledOut.has(partyId) && o.decision !== 'separate')
    // A clean auto-link beats a guarded higher score; the party id breaks ties so a replay picks the same party.
    .sort(([pa, a], [pb, b]) => rank(b) - rank(a) || b.score - a.score || pa.localeCompare(pb));
  const [top] = ranked;
  if (!top) return { kind: 'new' };
  const [partyId, outcome] = top;
  return outcome.decision === 'auto-link' ? { kind: 'link', partyId, outcome } : { kind: 'review', partyId, outcome };
}
