import { encodePosition } from '../position';
import { chainHash, contentHash, GENESIS, sealEvents, sealEventsInSlices, verifySealedRows, type SealableEvent, type SealedRow } from './hash-chain';

const event = (n: number, data: unknown = { n }): SealableEvent => ({
  globalPosition: String(n), txId: String(700 + n), eventId: `e-${n}`, streamId: 'party-1', streamRevision: String(n - 1),
  type: 'ClientRegistered', schemaVersion: 1, data, metadata: { correlationId: 'c' }, recordedAt: '2026-03-01T00:00:00.000001Z',
});

function sealed(count: number): SealedRow[] {
  const events = Array.from({ length: count }, (_, i) => event(i + 1));
  return sealEvents(GENESIS, events).map((seal, i) => ({ seal, event: events[i] }));
}

describe('hash chain', () => {
  it('given untouched rows, when verified, then there is no finding and the head is the last seal', () => {
    const rows = sealed(3);
    const check = verifySealedRows(GENESIS, rows);
    expect(check.problems).toEqual([]);
    expect(check.head).toEqual({ auditSeq: 3n, chainHash: rows[2].seal.chainHash });
    expect(rows.map((r) => r.seal.auditSeq)).toEqual(['1', '2', '3']);
  });

  it('covers every stored field: changing any one changes the content hash', () => {
    const base = event(1);
    const variants: SealableEvent[] = [
      { ...base, data: { n: 2 } }, { ...base, metadata: {} }, { ...base, streamRevision: '1' }, { ...base, txId: '1' },
      { ...base, globalPosition: '9' }, { ...base, recordedAt: '2026-03-01T00:00:00.000002Z' }, { ...base, schemaVersion: 2 },
    ];
    for (const v of variants) expect(contentHash(v)).not.toBe(contentHash(base));
    expect(contentHash({ ...base, data: { n: 1 } })).toBe(contentHash(base));
  });

  it('given an edited event, when verified, then it is reported at its audit sequence and position only', () => {
    const rows = sealed(3);
    rows[1] = { ...rows[1], event: event(2, { n: 'tampered' }) };
    expect(verifySealedRows(GENESIS, rows).problems).toEqual([
      expect.objectContaining({ kind: 'EVENT_MODIFIED', auditSeq: '2', globalPosition: encodePosition(702n, 2n), eventId: 'e-2' }),
    ]);
  });

  it('given a deleted event row, when verified, then the seal that covered it is reported', () => {
    const rows = sealed(3);
    rows[2] = { ...rows[2], event: null };
    expect(verifySealedRows(GENESIS, rows).problems).toEqual([expect.objectContaining({ kind: 'EVENT_DELETED', auditSeq: '3' })]);
  });

  it('given deleted seals, when verified, then the missing sequence range is reported once', () => {
    const rows = sealed(5);
    const problems = verifySealedRows(GENESIS, [rows[0], rows[3], rows[4]]).problems;
    expect(problems).toEqual([expect.objectContaining({ kind: 'SEAL_MISSING', auditSeq: '2', detail: expect.stringContaining('2..3') })]);
  });

  it('given a forged seal whose content hash matches an edited event, when verified, then the chain breaks there', () => {
    const rows = sealed(3);
    const forged = event(2, { n: 'forged' });
    rows[1] = { seal: { ...rows[1].seal, contentHash: contentHash(forged) }, event: forged };
    expect(verifySealedRows(GENESIS, rows).problems).toEqual([expect.objectContaining({ kind: 'SEAL_MODIFIED', auditSeq: '2' })]);
  });

  it('given an unknown predecessor, when verifying a later range, then the first link is not judged', () => {
    const rows = sealed(4);
    expect(verifySealedRows({ auditSeq: 2n, chainHash: null }, rows.slice(2)).problems).toEqual([]);
    expect(verifySealedRows({ auditSeq: 2n, chainHash: 'f'.repeat(64) }, rows.slice(2)).problems).toHaveLength(1);
  });

  it('chains each hash over the previous one', () => {
    const [first, second] = sealed(2).map((r) => r.seal);
    expect(first.chainHash).toBe(chainHash(GENESIS.chainHash!, 1n, first.contentHash));
    expect(second.chainHash).toBe(chainHash(first.chainHash, 2n, second.contentHash));
  });

  it('given events sealed in slices, then the seals are those of one pass, whatever the slice size', async () => {
    const events = Array.from({ length: 150 }, (_, i) => event(i + 1));
    const whole = sealEvents(GENESIS, events);
    for (const slice of [1, 7, 64, 150, 500]) expect(await sealEventsInSlices(GENESIS, events, slice)).toEqual(whole);
    expect(await sealEventsInSlices(GENESIS, [])).toEqual([]);
  });
});
