import { blockingKeys } from './prepared-record';
import { DEFAULT_MATCH_THRESHOLDS, matchRecords } from './matching';
import { LabelledRecord, syntheticClients } from './testing/synthetic-clients';

/** Candidate pairs: records sharing at least one blocking key (never all n² pairs). */
function candidatePairs(records: LabelledRecord[]): [LabelledRecord, LabelledRecord][] {
  const byKey = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const key of blockingKeys(r.record)) byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  const seen = new Set<string>();
  const pairs: [LabelledRecord, LabelledRecord][] = [];
  for (const ids of byKey.values()) {
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        const id = `${ids[x]}-${ids[y]}`;
        if (!seen.has(id)) pairs.push([records[ids[x]], records[ids[y]]]), seen.add(id);
      }
    }
  }
  return pairs;
}

function truePairCount(records: LabelledRecord[]): number {
  const perPerson = new Map<number, number>();
  for (const r of records) perPerson.set(r.personId, (perPerson.get(r.personId) ?? 0) + 1);
  return [...perPerson.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0);
}

describe('matching quality on a seeded synthetic population', () => {
  it('given noisy duplicates and households, auto-links with precision >= 0.99 and recall >= 0.95', () => {
    // Given: ~2,000 households (people, relatives, noisy copies in a second subsidiary)
    const records = syntheticClients(20260301, 1500);
    const pairs = candidatePairs(records);

    // When: every candidate pair is scored with the default thresholds
    let autoLinked = 0;
    let correct = 0;
    let review = 0;
    const falsePositives: string[] = [];
    for (const [a, b] of pairs) {
      const outcome = matchRecords(a.record, b.record, DEFAULT_MATCH_THRESHOLDS);
      if (outcome.decision === 'review') review++;
      if (outcome.decision !== 'auto-link') continue;
      autoLinked++;
      if (a.personId === b.personId) correct++;
      else falsePositives.push(`${a.record.name}/${b.record.name} ${outcome.score.toFixed(4)}`);
    }
    const truePairs = truePairCount(records);
    const precision = correct / autoLinked;
    const recall = correct / truePairs;
    console.log(
      `records=${records.length} candidatePairs=${pairs.length} truePairs=${truePairs} autoLinked=${autoLinked} ` +
        `review=${review} precision=${precision.toFixed(4)} recall=${recall.toFixed(4)}` +
        (falsePositives.length ? `\nfalse positives: ${falsePositives.slice(0, 10).join('; ')}` : ''),
    );

    // Then
    expect(precision).toBeGreaterThanOrEqual(0.99);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
