import { ConcurrentAppendError, type EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { AdminActionRecorder, inActionTransaction, type Actor, type ProjectionOutcome } from '../../admin/admin-actions';
import { checkpointOf, type Projection } from '../../infrastructure/projections/projection.types';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { auditError, AuditErrorCode } from '../audit.errors';
import { ProjectionCatalog } from '../projection-catalog';
import { foldPages } from '../scratch/fold';
import { createScratchSql, scratchTarget, type ScratchTarget } from '../scratch/scratch-tables';
import { inSessionTransaction, withSession } from '../scratch/session';
import { compareTables, reportOf } from './compare';
import type { RebuildReport } from './rebuild.types';
import { lockCheckpoint, readCheckpoint, setCheckpoint, swapTables } from './swap.sql';

interface Built {
  position: string;
  events: number;
}

type CheckpointRead = (manager: EntityManager, name: string) => Promise<string>;

const SWAP_ATTEMPTS = 3;
/** deadlock_detected, lock_not_available: the live runner held a table first; a fresh attempt resolves it. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '55P03']);

/**
 * Replays a projection from the event store alone into scratch tables and compares the
 * result with the live read model at the same position of $all: the proof that every
 * read model is a pure function of the history. The live projection keeps running
 * throughout; see `swap` for how a swap stays safe against it.
 */
@Injectable()
export class RebuildService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalog: ProjectionCatalog,
    private readonly actions: AdminActionRecorder,
  ) {}

  /**
   * The auditors' check. It replays into the session's temporary tables, so it writes
   * nothing another session can see (no shadow table, no checkpoint, no event): the state
   * anyone else reads is unchanged and repeating it is harmless, which is why a read-only
   * role may run it, over GET.
   */
  compare(name: string): Promise<RebuildReport> {
    const projection = this.catalog.require(name);
    return withSession(this.dataSource, async (session) => {
      const target = scratchTarget('temp', projection);
      const built = await this.build(session, projection, target);
      return inSessionTransaction(session, (m) => this.compareAt(m, projection, target, built, readCheckpoint), 'REPEATABLE READ');
    });
  }

  /** Admin: rebuild into `<table>_rebuild` (kept for inspection), compare, and swap it in when asked. */
  rebuild(name: string, options: { swap: boolean; actor: Actor }): Promise<RebuildReport> {
    const projection = this.catalog.require(name);
    return withSession(this.dataSource, async (session) => {
      await this.lockRebuild(session, name);
      try {
        const target = scratchTarget('shadow', projection);
        const built = await this.build(session, projection, target);
        if (options.swap) return await this.swap(session, projection, target, built, options.actor);
        const report = await inSessionTransaction(session, (m) => this.compareAt(m, projection, target, built, readCheckpoint), 'REPEATABLE READ');
        await inActionTransaction(this.dataSource, (m) => this.actions.record(m, options.actor, { type: 'ProjectionRebuilt', data: outcome(report) }));
        return report;
      } finally {
        await session.query(`SELECT pg_advisory_unlock(hashtext($1))`, [rebuildLockKey(name)]);
      }
    });
  }

  /** Fresh scratch tables filled up to the live checkpoint as it stood when the replay began, page by page. */
  private async build(session: QueryRunner, projection: Projection, target: ScratchTarget): Promise<Built> {
    for (const sql of createScratchSql(target)) await session.query(sql);
    const position = await readCheckpoint(session.manager, checkpointOf(projection));
    const folded = await foldPages(this.store, { toPosition: position, types: projection.types, streamPrefix: projection.streamPrefix }, (events) =>
      inSessionTransaction(session, (manager) => projection.apply(events, { manager, table: target.tableOf })),
    );
    return { position, events: folded.events };
  }

  /**
   * Brings the scratch tables to the live checkpoint read in `manager`'s transaction and
   * compares them there. Under REPEATABLE READ the checkpoint and the live rows come from
   * one snapshot; they commit together, so the live rows are exactly those of that position.
   */
  private async compareAt(manager: EntityManager, projection: Projection, target: ScratchTarget, built: Built, checkpoint: CheckpointRead): Promise<RebuildReport> {
    const position = await checkpoint(manager, checkpointOf(projection));
    if (position < built.position) {
      throw auditError(AuditErrorCode.CheckpointMovedBack, `The checkpoint of ${projection.name} moved back during the rebuild; run it again.`);
    }
    const range = { fromPosition: built.position, toPosition: position, types: projection.types, streamPrefix: projection.streamPrefix };
    const caughtUp = await foldPages(this.store, range, (events) => projection.apply(events, { manager, table: target.tableOf }));
    return reportOf(projection, target, position, built.events + caughtUp.events, await compareTables(manager, projection, target));
  }

  /**
   * One transaction: ACCESS EXCLUSIVE on the live tables first (waiting for the live
   * runner's batch in flight, and making its next batch wait), then the checkpoint row.
   * The runner writes tables before its checkpoint, so taking them in the same order
   * avoids most deadlocks; PostgreSQL breaks any left and the swap retries. The shadow is
   * brought to the checkpoint, compared, renamed into place, and the checkpoint is set to
   * that same position, so the runner's next compare-and-set still matches and it carries
   * on from there into the new tables without a pause or a restart.
   */
  private async swap(session: QueryRunner, projection: Projection, target: ScratchTarget, built: Built, actor: Actor): Promise<RebuildReport> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inSessionTransaction(session, async (manager) => {
          await manager.query(`SET LOCAL lock_timeout = '10s'`);
          await manager.query(`LOCK TABLE ${target.pairs.map(([live]) => live).join(', ')} IN ACCESS EXCLUSIVE MODE`);
          const report = await this.compareAt(manager, projection, target, built, lockCheckpoint);
          await swapTables(manager, target.pairs);
          await setCheckpoint(manager, checkpointOf(projection), report.position);
          await this.actions.record(manager, actor, { type: 'ProjectionSwapped', data: outcome(report) });
          return { ...report, swapped: true };
        });
      } catch (error) {
        if (attempt >= SWAP_ATTEMPTS || !isRetryable(error)) throw error;
      }
    }
  }

  /** One shadow rebuild per projection at a time, across instances: they would share `<table>_rebuild`. */
  private async lockRebuild(session: QueryRunner, name: string): Promise<void> {
    const [{ locked }] = await session.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [rebuildLockKey(name)]);
    if (!locked) throw auditError(AuditErrorCode.RebuildInProgress, `A rebuild of ${name} is already running.`);
  }
}

const rebuildLockKey = (name: string) => `xsell:rebuild:${name}`;

const outcome = (r: RebuildReport): ProjectionOutcome => ({
  projection: r.projection,
  position: r.position,
  equal: r.equal,
  liveChecksum: r.live.checksum,
  rebuiltChecksum: r.rebuilt.checksum,
});

function isRetryable(error: unknown): boolean {
  if (error instanceof ConcurrentAppendError) return true;
  const code = (error as { code?: unknown; driverError?: { code?: unknown } })?.code ?? (error as { driverError?: { code?: unknown } })?.driverError?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}
