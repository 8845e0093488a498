/** Every order of the items (n! of them), the items' own order first: arrival-order specs play each. */
export function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** Every order that keeps each queue's own order (a partition's events arrive in order, partitions in any), the queues' own order first. */
export function interleavings<T>(queues: T[][]): T[][] {
  const live = queues.filter((q) => q.length > 0);
  if (live.length === 0) return [[]];
  return live.flatMap((q) => interleavings(live.map((other) => (other === q ? q.slice(1) : other))).map((rest) => [q[0], ...rest]));
}
