/*
 * Has a consumer group stored (in PostgreSQL, with its effects) the offset of the end of
 * every partition of its topics? The offsets that count are the database's, not Kafka's.
 */
import { Kafka, logLevel } from 'kafkajs';
import { withPg } from './coordination-state';

export async function highWatermarks(brokers: string, topics: string[]): Promise<Map<string, number>> {
  const admin = new Kafka({ clientId: 'rel-offsets', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ends = new Map<string, number>();
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, Number(p.high));
    return ends;
  } finally {
    await admin.disconnect();
  }
}

/** Partitions whose stored offset is behind the given ends ('' when all are consumed). */
export async function behind(url: string, schema: string, groupId: string, ends: Map<string, number>): Promise<string[]> {
  const stored = await withPg(url, async (c) => (await c.query<{ topic: string; partition: number; n: string }>(
    `SELECT topic, "partition", next_offset::text AS n FROM "${schema}".consumer_offsets WHERE group_id = $1`, [groupId],
  )).rows);
  const at = new Map(stored.map((r) => [`${r.topic}:${r.partition}`, Number(r.n)]));
  return [...ends].filter(([k, end]) => end > 0 && (at.get(k) ?? 0) < end).map(([k, end]) => `${k} at ${at.get(k) ?? 0}/${end}`);
}

export async function waitConsumed(url: string, schema: string, groupId: string, ends: Map<string, number>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lagging = await behind(url, schema, groupId, ends);
    if (lagging.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${groupId} did not consume to the end: ${lagging.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
