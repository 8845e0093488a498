import type { EventStore } from '@lib/event-store';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
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
   * first line is written an error is still answered as problem+json; after it, the
   * response is aborted (the client sees a broken chunked stream, never a silently
   * truncated but complete-looking export).
   */
  async export(filter: AuditLogFilter, res: Response): Promise<void> {
    res.status(200).setHeader('Content-Type', `${NDJSON}; charset=utf-8`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await writeNdjson(res, auditLogPages(this.dataSource, { ...filter, maxCount: EXPORT_PAGE }), eventJson);
      res.end();
    } catch (error) {
      if (!res.headersSent) throw error;
      this.logger.error({ err: error }, 'audit export failed mid-stream; aborting the response');
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
