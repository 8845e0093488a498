/**
 * Where a consumer resumes. For Kafka only `offset` is used (the next offset to read).
 * For a PostgreSQL outbox log the order is (txId, id) (see visibleToReaders), so the next
 * position is the pair just after the last row consumed: (its tx_id, its id + 1).
 */
export interface LogPosition {
  txId: string | null;
  offset: string;
}

/** Negative when a comes first, zero when equal, positive when a comes after b. */
export function comparePositions(a: LogPosition, b: LogPosition): number {
  const tx = compareBig(BigInt(a.txId ?? -1), BigInt(b.txId ?? -1));
  return tx !== 0 ? tx : compareBig(BigInt(a.offset), BigInt(b.offset));
}

export function followingOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
