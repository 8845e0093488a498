import type { RecordedEvent } from '@lib/event-store';
import { Injectable, Module } from '@nestjs/common';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import type { Projection, ProjectionContext } from '../../infrastructure/projections/projection.types';
import type { AsOfParams, AsOfReader } from '../as-of/as-of.types';

/**
 * Projections for the audit tests only: a policy book over portfolio-shaped events (two
 * tables, one with a composite key) and a stand-in for identity's `client-view`
 * projection writing identity's real client_view table, so the real as-of client reader
 * is exercised before identity's projection exists.
 */
export const BOOK = 'coordination.test_policy_book';
export const TOTALS = 'coordination.test_party_totals';
export const POLICY_TYPES = ['PolicyRecorded', 'PolicyRenewalRecorded', 'PolicyStatusChanged'];

export class AuditTestTables1767329999999 implements MigrationInterface {
  name = 'AuditTestTables1767329999999';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ${BOOK} (subsidiary text NOT NULL, policy_no text NOT NULL, party_id text NOT NULL, status text NOT NULL,
      premium numeric(18,2) NOT NULL, updated_position text NOT NULL, PRIMARY KEY (subsidiary, policy_no))`);
    await q.query(`CREATE INDEX test_policy_book_party ON ${BOOK} (party_id)`);
    await q.query(`CREATE TABLE ${TOTALS} (party_id text PRIMARY KEY, policies integer NOT NULL, premium numeric(18,2) NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${TOTALS}`);
    await q.query(`DROP TABLE ${BOOK}`);
  }
}

interface PolicyData {
  subsidiary: string;
  policyNo: string;
  partyId: string;
  premium?: { amount: string };
  to?: string;
}

@Injectable()
export class PolicyBookProjection implements Projection {
  readonly name = 'policy-book';
  readonly tables = [{ name: BOOK, primaryKey: 'subsidiary, policy_no' }, { name: TOTALS, primaryKey: 'party_id' }];
  readonly types = POLICY_TYPES;
  readonly streamPrefix = 'policy-';

  async apply(events: RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    for (const e of events) {
      const d = e.data as PolicyData;
      if (e.type === 'PolicyRecorded') {
        await ctx.manager.query(
          `INSERT INTO ${ctx.table(BOOK)} VALUES ($1, $2, $3, 'in-force', $4, $5) ON CONFLICT DO NOTHING`,
          [d.subsidiary, d.policyNo, d.partyId, d.premium!.amount, e.globalPosition],
        );
      } else {
        const [column, value] = e.type === 'PolicyRenewalRecorded' ? ['premium', d.premium!.amount] : ['status', d.to!];
        await ctx.manager.query(`UPDATE ${ctx.table(BOOK)} SET ${column} = $3, updated_position = $4 WHERE subsidiary = $1 AND policy_no = $2`, [
          d.subsidiary, d.policyNo, value, e.globalPosition,
        ]);
      }
      await this.total(ctx, d.partyId);
    }
  }

  private async total(ctx: ProjectionContext, partyId: string): Promise<void> {
    await ctx.manager.query(
      `INSERT INTO ${ctx.table(TOTALS)} (party_id, policies, premium)
       SELECT $1, count(*) FILTER (WHERE status = 'in-force'), coalesce(sum(premium) FILTER (WHERE status = 'in-force'), 0)
         FROM ${ctx.table(BOOK)} WHERE party_id = $1
       ON CONFLICT (party_id) DO UPDATE SET policies = EXCLUDED.policies, premium = EXCLUDED.premium`,
      [partyId],
    );
  }
}

@Injectable()
export class StandInClientViewProjection implements Projection {
  readonly name = 'client-view';
  readonly tables = [{ name: 'coordination.client_view', primaryKey: 'party_id' }];
  readonly types = POLICY_TYPES;
  readonly streamPrefix = 'policy-';

  async apply(events: RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const table = ctx.table('coordination.client_view');
    for (const e of events) {
      const d = e.data as PolicyData;
      const key = `${d.subsidiary}:${d.policyNo}`;
      const [path, value] =
        e.type === 'PolicyRecorded' ? [[key], { premium: d.premium!.amount, status: 'in-force' }]
        : e.type === 'PolicyRenewalRecorded' ? [[key, 'premium'], d.premium!.amount]
        : [[key, 'status'], d.to];
      await ctx.manager.query(
        `INSERT INTO ${table} (party_id, view, tier, updated_at, updated_position) VALUES ($1, '{"policies": {}}', 'non-strategic', $2, $3)
         ON CONFLICT (party_id) DO NOTHING`,
        [d.partyId, e.recordedAt, e.globalPosition],
      );
      await ctx.manager.query(
        `UPDATE ${table} SET view = jsonb_set(view, $2::text[], $3::jsonb), updated_at = $4, updated_position = $5 WHERE party_id = $1`,
        [d.partyId, ['policies', ...path], JSON.stringify(value), e.recordedAt, e.globalPosition],
      );
    }
  }
}

/** The `kpi` as-of view over the test policy book: in-force policies and premium, for one party or all. */
@Injectable()
export class TestKpiAsOfReader implements AsOfReader<{ policies: number; premium: string }> {
  readonly name = 'kpi';
  readonly projection = 'policy-book';

  async read(manager: EntityManager, tableOf: (live: string) => string, params: AsOfParams) {
    const [row] = await manager.query<Array<{ policies: number; premium: string }>>(
      `SELECT coalesce(sum(policies), 0)::int AS policies, coalesce(sum(premium), 0)::numeric(18,2)::text AS premium
         FROM ${tableOf(TOTALS)} WHERE ($1::text IS NULL OR party_id = $1)`,
      [params.partyId ?? null],
    );
    return row;
  }
}

@Module({ providers: [PolicyBookProjection, StandInClientViewProjection], exports: [PolicyBookProjection, StandInClientViewProjection] })
export class TestProjectionsModule {}
