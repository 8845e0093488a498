import type { EventStore } from '@lib/event-store';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { DataSource } from 'typeorm';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { auditError, AuditErrorCode } from '../audit.errors';
import { auditLogPages, readAuditLogPage, type AuditLogFilter } from './audit-log.reader';
import { eventJson, type EventJson } from './event-json';
import { writeNdjson } from './ndjson';

export const NDJSON = 'application/x-ndjson';
const EXPORT_PAGE = 1000;

export interface StreamHistory {
  streamId: string;
  events: EventJson[];
  /** Pass as `from` for the next page; null when this page reached the stream's end. */
  nextRevision: string | null;
}

export interface LogPage {
  events: EventJson[];
  nextPosition: string;
  isEnd: boolean;
}

/** Streams' histories and the global log, as stored. */
@Injectable()
export class AuditHistoryService {
  private readonly logger = new Logger(AuditHistoryService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async stream(streamId: string, from: bigint, maxCount: number): Promise<StreamHistory> {
    const events = await this.store.readStream(streamId, { from, maxCount });
    if (events.length === 0 && from === 0n) throw auditError(AuditErrorCode.StreamNotFound, `Stream ${streamId} has no events.`);
    const last = events[events.length - 1];
    return { streamId, events: events.map(eventJson), nextRevision: events.length === maxCount ? (last.streamRevision + 1n).toString() : null };
  }

  async page(filter: AuditLogFilter): Promise<LogPage> {
    const page = await readAuditLogPage(this.dataSource, filter);
    return { events: page.events.map(eventJson), nextPosition: page.nextPosition, isEnd: page.isEnd };
  }

  /**
   * Streams the filtered log from the cursor to the commit horizon as NDJSON. Until the
   * first line is written an error is still answered as problem+json (the server sends
   * the headers with the first line); after it, the response is aborted (the client sees
   * a broken chunked stream, never a silently truncated but complete-looking export).
   */
  async export(filter: AuditLogFilter, reply: FastifyReply): Promise<void> {
    const out = new PassThrough();
    reply.status(200).header('Content-Type', `${NDJSON}; charset=utf-8`).header('Cache-Control', 'no-store').send(out);
    try {
      await writeNdjson(out, auditLogPages(this.dataSource, { ...filter, maxCount: EXPORT_PAGE }), eventJson);
      out.end();
    } catch (error) {
      if (reply.raw.headersSent) this.logger.error({ err: error }, 'audit export failed mid-stream; aborting the response');
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
