/**
 * A coordination app with portfolio + crediting on a real PostgreSQL database, for integration
 * tests. Identity's PartyDirectory is stood in for by a resolver over party_links rows the test
 * inserts; a stand-in for conflicts shares referral links and credit decisions like conflicts
 * does. Transports and the scheduler are off: tests dispatch events and tick tasks themselves.
 */
import { createEvent, type EventType, type SubsidiaryEvent } from '@lib/contracts';
import { comparePositions, eventStoreMigrations, type EventStore } from '@lib/event-store';
import { isPoison } from '@lib/messaging';
import { ApiKeyStore, createService, PlatformModule, ROLES, type Role } from '@lib/platform';
import { Global, Injectable, Logger, Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import { CREDIT_DECISION_KEY, REFERRAL_LINK_KEY, type PolicyCreditDecision, type PolicyReferralLink } from '../../conflicts/conflicts.ports';
import { ConflictsReadModels1767310000200 } from '../../conflicts/persistence/conflicts.migrations';
import { loadCoordinationConfig } from '../../config';
import { CoordinationCoreModule, EventStoreModule } from '../../infrastructure/core.module';
import { InboundRouter } from '../../infrastructure/inbound/inbound-router';
import { coordinationMessagingMigrations } from '../../infrastructure/inbound/inbound-runner';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { coordinationCoreMigrations } from '../../infrastructure/migrations';
import { checkpointOf } from '../../infrastructure/projections/projection.types';
import { EVENT_STORE, PARTY_RESOLVER, type PartyResolver } from '../../infrastructure/tokens';
import { AgentHandler } from '../../portfolio/agent.handler';
import { PolicyHandler } from '../../portfolio/policy.handler';
import { PortfolioModule, portfolioMigrations } from '../../portfolio/portfolio.module';
import { CreditingModule, creditingMigrations } from '../crediting.module';
import { CreditingHandler } from '../inbound/crediting.handler';
import { OrphanHandler } from '../inbound/orphan.handler';
import { CreditLinesProjection } from '../projections/credit-lines.projection';
import { CreditRecalculationTask } from '../rules/recalculation.task';

/** Identity owns party_links; these tests only need the table to exist. Conflicts' read models give referral_view (conversion rates). */
class TestPartyLinks1767330000999 implements MigrationInterface {
  name = 'TestPartyLinks1767330000999';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS coordination.party_links (
      subsidiary text NOT NULL, local_id text NOT NULL, party_id uuid NOT NULL, PRIMARY KEY (subsidiary, local_id))`);
  }
  async down(): Promise<void> {}
}

@Injectable()
class PartyLinksResolver implements PartyResolver {
  async partyIdOf(manager: EntityManager, subsidiary: string, localId: string): Promise<string | null> {
    const rows = await manager.query('SELECT party_id FROM coordination.party_links WHERE subsidiary = $1 AND local_id = $2', [subsidiary, localId]);
    return rows[0]?.party_id ?? null;
  }
}

/** What the conflicts handler would share for a policy, set by the test per policy number. */
@Injectable()
export class ConflictsStandIn implements InboundHandler {
  readonly name = 'test.conflicts-stand-in';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = ['PolicyIssued'];
  readonly links = new Map<string, PolicyReferralLink>();
  readonly decisions = new Map<string, PolicyCreditDecision>();

  async handle(ctx: InboundContext): Promise<void> {
    if (ctx.event.type !== 'PolicyIssued') return;
    const link = this.links.get(ctx.event.payload.policyNo);
    const decision = this.decisions.get(ctx.event.payload.policyNo);
    if (link) ctx.shared.set(REFERRAL_LINK_KEY, link);
    if (decision) ctx.shared.set(CREDIT_DECISION_KEY, decision);
  }
}

@Global()
@Module({ providers: [{ provide: PARTY_RESOLVER, useClass: PartyLinksResolver }, ConflictsStandIn], exports: [PARTY_RESOLVER, ConflictsStandIn] })
class StandInsModule {}

@Module({})
class CreditingTestAppModule {
  static forRoot(databaseUrl: string): DynamicModule {
    const config = loadCoordinationConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test', DATABASE_POOL_SIZE: '6', RATE_LIMIT_PER_MINUTE: '100000' });
    const migrations = [...eventStoreMigrations, ...coordinationMessagingMigrations, ...coordinationCoreMigrations, ...portfolioMigrations, TestPartyLinks1767330000999,
      ConflictsReadModels1767310000200, ...creditingMigrations];
    return {
      module: CreditingTestAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'coordination', config, migrations }),
        EventStoreModule,
        StandInsModule,
        CoordinationCoreModule.forRoot({
          inboundHandlers: [AgentHandler, PolicyHandler, ConflictsStandIn, CreditingHandler, OrphanHandler],
          projections: [CreditLinesProjection],
          scheduledTasks: [CreditRecalculationTask],
          imports: [PortfolioModule, CreditingModule],
        }),
      ],
    };
  }
}

export interface CreditingTestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  store: EventStore;
  conflicts: ConflictsStandIn;
  keys: Record<Role, string>;
  /** Builds a canonical event (validated like a consumer would) and dispatches it in one transaction. */
  feed<T extends EventType>(type: T, subsidiary: 'life' | 'pnc' | 'group', payload: object, occurredAt?: string): Promise<string>;
  linkParty(subsidiary: string, localId: string, partyId: string): Promise<void>;
  /** Waits until the credit-lines projection has applied everything committed so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startCreditingApp(databaseUrl: string): Promise<CreditingTestApp> {
  process.env.INBOUND_DISABLED = '1';
  process.env.SCHEDULER_DISABLED = '1';
  Logger.overrideLogger(false);
  const app = await createService(CreditingTestAppModule.forRoot(databaseUrl), { title: 'crediting test', description: 'crediting test', logger: false });
  await app.init();
  const dataSource = app.get(DataSource);
  const store = app.get<EventStore>(EVENT_STORE);
  const router = app.get(InboundRouter);
  const projection = app.get(CreditLinesProjection);
  const keys = {} as Record<Role, string>;
  for (const role of ROLES) keys[role] = (await app.get(ApiKeyStore).create({ name: `test ${role}`, role, createdBy: 'test' })).key;
  let offset = 0;

  const feed: CreditingTestApp['feed'] = async (type, subsidiary, payload, occurredAt = '2026-03-01T09:00:00+08:00') => {
    const parsed = createEvent({ type, eventId: randomUUID(), subsidiary, occurredAt, correlationId: `test-${type}`, payload });
    if (!parsed.ok) throw new Error(`invalid ${type}: ${JSON.stringify(parsed.issues)}`);
    const event = parsed.event as SubsidiaryEvent;
    const source = { kind: 'replay' as const, topic: `subsidiary.${subsidiary}.events`, partition: 0, offset: String(offset++) };
    for (let attempt = 1; ; attempt++) {
      try {
        await dataSource.transaction((manager) => router.dispatch(event, source, manager, 0));
        return event.eventId;
      } catch (error) {
        if (isPoison(error) || attempt >= 5) throw error;
      }
    }
  };

  /**
   * The store's $all reads stop at the cluster-wide commit horizon, which another database's
   * transactions hold back; so the newest line event is looked up directly and the checkpoint
   * must reach its position.
   */
  const newestLineEvent = async (): Promise<string | null> => {
    const [row] = await dataSource.query(
      `SELECT stream_id, stream_revision::text AS revision FROM event_store.events
        WHERE type = ANY($1::text[]) AND starts_with(stream_id, $2) ORDER BY tx_id DESC, global_position DESC LIMIT 1`,
      [projection.types, projection.streamPrefix],
    );
    if (!row) return null;
    const [event] = await store.readStream(row.stream_id, { from: BigInt(row.revision), maxCount: 1 });
    return event.globalPosition;
  };

  const settle = async (): Promise<void> => {
    const target = await newestLineEvent();
    const deadline = Date.now() + 30_000;
    while (target) {
      const checkpoint = await store.getCheckpoint(checkpointOf(projection));
      if (checkpoint && comparePositions(checkpoint, target) >= 0) return;
      if (Date.now() > deadline) throw new Error(`credit-lines projection at ${checkpoint}, still before ${target}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return {
    app, dataSource, store, conflicts: app.get(ConflictsStandIn), keys, feed, settle,
    linkParty: async (subsidiary, localId, partyId) => {
      await dataSource.query('INSERT INTO coordination.party_links (subsidiary, local_id, party_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [subsidiary, localId, partyId]);
    },
    close: () => app.close(),
  };
}
