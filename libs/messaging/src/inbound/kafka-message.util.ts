import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { InboundMessage } from './inbound.types';

/** kafkajs header values may be Buffers or repeated; the last value of a repeated header wins. */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) decoded[name] = value.toString();
  }
  return decoded;
}

/** A tombstone (null value) becomes '' and is dead-lettered as invalid JSON. */
export function toInboundMessage(topic: string, partition: number, message: KafkaMessage): InboundMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString() : null,
    value: message.value ? message.value.toString() : '',
    headers: decodeHeaders(message.headers),
    timestamp: message.timestamp,
  };
}
