/*
 * Reads every message of some topics up to their current end (high watermarks taken at
 * the call), and re-produces messages: what the reliability tests need to scan topics and
 * to deliver everything twice.
 */
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { randomBytes } from 'node:crypto';

export interface DumpedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

const kafkaOf = (brokers: string) => new Kafka({ clientId: 'rel-dump', brokers: brokers.split(','), logLevel: logLevel.NOTHING });

export async function topicsWithPrefix(brokers: string, prefix: string): Promise<string[]> {
  const admin = kafkaOf(brokers).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => t.startsWith(prefix)).sort();
  } finally {
    await admin.disconnect();
  }
}

/** Every message now on the topics, in partition order. */
export async function dumpTopics(brokers: string, topics: string[], timeoutMs = 60_000): Promise<DumpedMessage[]> {
  const kafka = kafkaOf(brokers);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  try {
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) if (Number(p.high) > Number(p.low)) ends.set(`${topic}:${p.partition}`, Number(p.high));
    }
  } finally {
    await admin.disconnect();
  }
  const out: DumpedMessage[] = [];
  if (ends.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `rel-dump-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 100 });
  const remaining = new Set(ends.keys());
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...new Set([...ends.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))], fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          const key = `${topic}:${partition}`;
          if (Number(message.offset) >= (ends.get(key) ?? 0)) return;
          out.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers: headersOf(message.headers) });
          if (Number(message.offset) + 1 >= ends.get(key)!) remaining.delete(key);
          if (remaining.size === 0) resolve();
        },
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`dump incomplete after ${timeoutMs} ms: ${[...remaining].join(', ')}`)), timeoutMs);
    });
    await Promise.race([done, expired]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return out;
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String).join(',') : String(v ?? '')]));
}

/** Produces messages again, each to the partition it came from (so per-partition order is kept). */
export async function reproduce(brokers: string, messages: DumpedMessage[], toTopic: (topic: string) => string = (t) => t): Promise<void> {
  const producer = kafkaOf(brokers).producer();
  await producer.connect();
  try {
    const byTopic = new Map<string, DumpedMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    for (const [topic, list] of byTopic) {
      for (let i = 0; i < list.length; i += 500) {
        await producer.send({
          topic: toTopic(topic),
          messages: list.slice(i, i + 500).map((m) => ({ partition: m.partition, key: m.key, value: m.value, headers: m.headers })),
        });
      }
    }
  } finally {
    await producer.disconnect();
  }
}
