import { createHash } from 'node:crypto';
import type { IntegrityProblem } from '../event-store.port';
import { encodePosition } from '../position';
import { canonicalJson } from './canonical-json';

/**
 * The audit chain: every committed event gets a dense audit sequence number, the hash of
 * its content (every stored column, including where it sits in global order) and a chain
 * hash over the previous chain hash. Editing, deleting or inserting a row breaks the
 * chain at that row; only rewriting every later seal hides it, which the head hash kept
 * outside the database (IntegrityReport.head) reveals.
 */
export const GENESIS_HASH = '0'.repeat(64);
const CONTENT_VERSION = 1;

/** Exactly what is stored for an event; numbers that exceed 64 bits travel as strings. */
export interface SealableEvent {
  globalPosition: string;
  txId: string;
  eventId: string;
  streamId: string;
  streamRevision: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  /** UTC with microseconds, as PostgreSQL stores it. */
  recordedAt: string;
}

export interface Seal {
  auditSeq: string;
  globalPosition: string;
  txId: string;
  contentHash: string;
  chainHash: string;
}

export interface ChainHead {
  auditSeq: bigint;
  /** null when the seal before a checked range is itself missing: the first link is then not checked. */
  chainHash: string | null;
}

export const GENESIS: ChainHead = { auditSeq: 0n, chainHash: GENESIS_HASH };

export function contentHash(event: SealableEvent): string {
  return sha256(canonicalJson({ v: CONTENT_VERSION, ...event }));
}

export function chainHash(previous: string, auditSeq: bigint, content: string): string {
  return sha256(`${previous}|${auditSeq}|${content}`);
}

/** Seals events that are already in global order, continuing from `head`. */
export function sealEvents(head: ChainHead, events: SealableEvent[]): Seal[] {
  if (head.chainHash === null) throw new Error('cannot seal after an unknown chain hash');
  let previous = head.chainHash;
  return events.map((event, i) => {
    const auditSeq = head.auditSeq + BigInt(i + 1);
    const content = contentHash(event);
    previous = chainHash(previous, auditSeq, content);
    return { auditSeq: auditSeq.toString(), globalPosition: event.globalPosition, txId: event.txId, contentHash: content, chainHash: previous };
  });
}

/**
 * sealEvents in slices of `slice` events, letting the event loop run between them: hashing a
 * second's worth of events in one go (tens of microseconds each) would hold every request the
 * process serves meanwhile for that long. Same seals as sealEvents.
 */
export async function sealEventsInSlices(head: ChainHead, events: SealableEvent[], slice = 64): Promise<Seal[]> {
  const seals: Seal[] = [];
  let at = head;
  for (let i = 0; i < events.length; i += slice) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const part = sealEvents(at, events.slice(i, i + slice));
    seals.push(...part);
    const last = part[part.length - 1];
    at = { auditSeq: BigInt(last.auditSeq), chainHash: last.chainHash };
  }
  return seals;
}

export interface SealedRow {
  seal: Seal;
  /** null when the sealed event's row is gone. */
  event: SealableEvent | null;
}

export interface ChainCheck {
  problems: IntegrityProblem[];
  head: ChainHead;
}

/**
 * Recomputes a page of seals in audit order. Each finding names the row; the chain then
 * continues from the stored hash so that one broken link does not flag every later row.
 */
export function verifySealedRows(head: ChainHead, rows: SealedRow[]): ChainCheck {
  const problems: IntegrityProblem[] = [];
  let current = head;
  for (const { seal, event } of rows) {
    const seq = BigInt(seal.auditSeq);
    const gapFree = seq === current.auditSeq + 1n;
    if (!gapFree) problems.push(...missingSeals(current.auditSeq, seq));
    problems.push(...checkEvent(seal, event));
    if (gapFree && current.chainHash !== null && chainHash(current.chainHash, seq, seal.contentHash) !== seal.chainHash) {
      problems.push(at('SEAL_MODIFIED', seal, event, 'the chain hash does not follow from the previous seal and this content hash'));
    }
    current = { auditSeq: seq, chainHash: seal.chainHash };
  }
  return { problems, head: current };
}

function checkEvent(seal: Seal, event: SealableEvent | null): IntegrityProblem[] {
  if (!event) return [at('EVENT_DELETED', seal, null, `the sealed event at global position ${seal.globalPosition} is missing`)];
  if (contentHash(event) !== seal.contentHash) {
    return [at('EVENT_MODIFIED', seal, event, 'the stored event no longer matches the content hash sealed for it')];
  }
  return [];
}

function missingSeals(last: bigint, next: bigint): IntegrityProblem[] {
  const from = last + 1n;
  const to = next - 1n;
  const range = from === to ? `${from}` : `${from}..${to}`;
  return [{ kind: 'SEAL_MISSING', auditSeq: from.toString(), detail: `audit sequence ${range} is missing (seal rows deleted)` }];
}

function at(kind: IntegrityProblem['kind'], seal: Seal, event: SealableEvent | null, detail: string): IntegrityProblem {
  return {
    kind,
    auditSeq: seal.auditSeq,
    globalPosition: encodePosition(seal.txId, seal.globalPosition),
    ...(event && { eventId: event.eventId, streamId: event.streamId, streamRevision: event.streamRevision }),
    detail,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
