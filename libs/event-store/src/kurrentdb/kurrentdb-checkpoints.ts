import { BACKWARDS, END, NO_STREAM, StreamNotFoundError, WrongExpectedVersionError, jsonEvent, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import type { TransactionOptions } from '../event-store.port';
import type { CheckpointStore } from '../subscription/checkpoint-store';
import { INTERNAL_STREAM_PREFIX } from './kurrentdb-mapping';

const KEEP = 8;

/**
 * One KurrentDB stream per checkpoint; compare-and-set is an append at the revision the
 * current value was read at. There is no transaction to share with read models, so a
 * projection's writes and its checkpoint commit separately (at-least-once delivery).
 */
export class KurrentDbCheckpointStore implements CheckpointStore {
  constructor(private readonly client: KurrentDBClient) {}

  async get(name: string): Promise<string | null> {
    return (await this.current(name)).position;
  }

  async compareAndSet(name: string, expected: string | null, next: string, _opts?: TransactionOptions): Promise<boolean> {
    const current = await this.current(name);
    if (current.position !== expected) return false;
    const event = jsonEvent({ id: randomUUID(), type: 'CheckpointMoved', data: { position: next } });
    try {
      await this.client.appendToStream(streamOf(name), event, { streamState: current.revision ?? NO_STREAM });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
    if (current.revision === null) await this.client.setStreamMetadata(streamOf(name), { maxCount: KEEP });
    return true;
  }

  inTransaction<T>(work: (manager: undefined) => Promise<T>): Promise<T> {
    return work(undefined);
  }

  private async current(name: string): Promise<{ position: string | null; revision: bigint | null }> {
    try {
      for await (const resolved of this.client.readStream(streamOf(name), { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        const event = resolved.event;
        if (event) return { position: (event.data as { position: string }).position, revision: event.revision };
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return { position: null, revision: null };
  }
}

function streamOf(name: string): string {
  return `${INTERNAL_STREAM_PREFIX}checkpoint-${name}`;
}
