/** Test-only: the conflicts feature composed with the core and stand-ins, on a fresh database. */
import { createEvent, generateCreditCode, parseDecision, seededRng, type EventEnvelope, type EventType, type SubsidiaryEvent } from '@lib/contracts';
import { createTestingService, PlatformModule } from '@lib/platform';
import { signDevJwt, type Role, type Subsidiary } from '@lib/platform/auth';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { expectEventually } from '../../../../../test/infra/expect-eventually';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { eventStoreMigrations } from '@lib/event-store';
import { coordinationMessagingMigrations } from '../../infrastructure/inbound/inbound-runner';
import { coordinationCoreMigrations } from '../../infrastructure/migrations';
import { loadCoordinationConfig } from '../../config';
import { CoordinationCoreModule } from '../../infrastructure/core.module';
import { InboundRouter } from '../../infrastructure/inbound/inbound-router';
import { CLOCK } from '../../infrastructure/tokens';
import { CONFLICTS_INBOUND_HANDLERS, CONFLICTS_LATE_INBOUND_HANDLERS, CONFLICTS_PROJECTIONS, CONFLICTS_SCHEDULED_TASKS, ConflictsModule } from '../conflicts.module';
import { conflictsMigrations } from '../persistence/conflicts.migrations';
import { ClientViewProjection, IdentityInboundHandler, IdentityModule, identityMigrations } from '../../identity';
import { ActivityHandler } from '../../portfolio/activity.handler';
import { AgentHandler } from '../../portfolio/agent.handler';
import { PolicyHandler } from '../../portfolio/policy.handler';
import { PortfolioModule, portfolioMigrations } from '../../portfolio/portfolio.module';
import { RecordingCrediting, STAND_IN_TABLES, StandInIdentity, StandInPortfolio, StandInsModule, TEST_CREDIT_DECISIONS, TEST_SERVICING_HISTORY } from './stand-ins';

const JWT = { issuer: 'https://id.xsell.test', audience: 'xsell-api', secret: 'test-only-jwt-secret-0123456789abcdef' };

// The core's own migrations (not the app's list, which also carries the neighbours the stand-ins replace).
const CORE_MIGRATIONS = [...eventStoreMigrations, ...coordinationMessagingMigrations, ...coordinationCoreMigrations];

export interface ConflictRow {
  conflict_id: string;
  status: string;
  state: Record<string, any>;
}

export class Harness {
  readonly clock = { at: new Date('2026-03-02T10:00:00Z'), now(): Date { return this.at; } };
  app!: INestApplication;
  ds!: DataSource;
  private db!: TestDatabase;
  private offset = 0;

  /**
   * `neighbours: 'stand-ins'` (default) isolates conflicts from identity's and portfolio's progress;
   * `'real'` composes their modules as the app does, to check the seams (PARTY_RESOLVER, shared 'policy').
   */
  async start(prefix: string, neighbours: 'stand-ins' | 'real' = 'stand-ins'): Promise<this> {
    process.env.INBOUND_DISABLED = '1';
    process.env.SCHEDULER_DISABLED = '1';
    this.db = await createTestDatabase(prefix);
    const config = loadCoordinationConfig({
      DATABASE_URL: this.db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', JWT_SECRET: JWT.secret, JWT_ISSUER: JWT.issuer, JWT_AUDIENCE: JWT.audience,
    });
    const conflicts = ConflictsModule.forRoot({ imports: [StandInsModule], resolutionListeners: [RecordingCrediting], settings: { slaHours: 48 } });
    const real = neighbours === 'real';
    const moduleRef = await Test.createTestingModule({
      imports: [
        // The platform module brings auth (guards, JWT verification from the config) and its migrations.
        PlatformModule.forRoot({
          service: 'coordination',
          config,
          migrations: [...CORE_MIGRATIONS, ...(real ? [...identityMigrations, ...portfolioMigrations] : []), ...conflictsMigrations],
        }),
        CoordinationCoreModule.forRoot({
          inboundHandlers: [
            ...(real ? [IdentityInboundHandler, AgentHandler, PolicyHandler, ActivityHandler] : [StandInIdentity, StandInPortfolio]),
            ...CONFLICTS_INBOUND_HANDLERS,
            RecordingCrediting,
            ...CONFLICTS_LATE_INBOUND_HANDLERS,
          ],
          projections: [...(real ? [ClientViewProjection] : []), ...CONFLICTS_PROJECTIONS],
          scheduledTasks: CONFLICTS_SCHEDULED_TASKS,
          imports: [...(real ? [IdentityModule, PortfolioModule] : []), StandInsModule, conflicts],
        }),
      ],
    }).overrideProvider(CLOCK).useValue(this.clock).compile();
    this.app = createTestingService(moduleRef, { title: 'conflicts test', description: 'conflicts test', logger: false });
    this.ds = this.app.get(DataSource);
    for (const sql of real ? [TEST_CREDIT_DECISIONS, TEST_SERVICING_HISTORY] : STAND_IN_TABLES) await this.ds.query(sql);
    await this.app.init();
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.db?.drop();
  }

  /** Feeds a canonical event through the router in its own transaction, as a transport would. */
  async feed<T extends EventType>(type: T, subsidiary: Subsidiary, payload: object, occurredAt = '2026-03-02T09:00:00+08:00') {
    const built = createEvent({ type, eventId: randomUUID(), subsidiary, occurredAt, correlationId: `test-${type}`, payload });
    if (!built.ok) throw new Error(`bad test event ${type}: ${JSON.stringify(built.issues)}`);
    const source = { kind: 'replay' as const, topic: `subsidiary.${subsidiary}.events`, partition: 0, offset: String(this.offset++) };
    await this.ds.transaction((m) => this.app.get(InboundRouter).dispatch(built.event as SubsidiaryEvent, source, m, 0));
    return built.event;
  }

  http() {
    return request(this.app.getHttpServer());
  }

  async bearer(sub: string, roles: Role[], subsidiary: Subsidiary | null = null): Promise<string> {
    return `Bearer ${await signDevJwt({ sub, roles, subsidiary, issuer: JWT.issuer, audience: JWT.audience, secret: JWT.secret })}`;
  }

  /** The one conflict_view row matching, once the projection has it. */
  conflict(where: string, params: unknown[], expectStatus?: string): Promise<ConflictRow> {
    return expectEventually(async () => {
      const rows: ConflictRow[] = await this.ds.query(`SELECT conflict_id, status, state FROM coordination.conflict_view WHERE ${where}`, params);
      expect(rows).toHaveLength(1);
      if (expectStatus) expect(rows[0].status).toBe(expectStatus);
      return rows[0];
    });
  }

  referralView(referralId: string, status: string): Promise<Record<string, any>> {
    return expectEventually(async () => {
      const [row] = await this.ds.query('SELECT * FROM coordination.referral_view WHERE referral_id = $1', [referralId]);
      expect(row?.status).toBe(status);
      return row;
    });
  }

  /** Decision messages in the coordination outbox, parsed as a subsidiary would parse them. */
  async decisions<T extends 'ConflictResolved' | 'ReferralStatusChanged'>(type: T, field: string, value: string) {
    const rows: Array<{ topic: string; message_key: string; value: string }> = await this.ds.query(
      `SELECT topic, message_key, value FROM coordination.outbox
       WHERE value::jsonb->>'type' = $1 AND value::jsonb->'payload'->>$2 = $3 ORDER BY id`,
      [type, field, value],
    );
    return rows.map((r) => {
      const parsed = parseDecision(r.value);
      if (!parsed.ok) throw new Error(`outbox holds an invalid decision: ${JSON.stringify(parsed.issues)}`);
      return { topic: r.topic, key: r.message_key, event: parsed.event as EventEnvelope<T> };
    });
  }

  async partyOf(subsidiary: Subsidiary, localId: string): Promise<string> {
    const [row] = await this.ds.query('SELECT party_id::text FROM coordination.party_links WHERE subsidiary = $1 AND local_id = $2', [subsidiary, localId]);
    return row.party_id;
  }
}

export const company = (localId: string, seed: number) => ({
  localId, kind: 'organization', name: `测试企业${seed}有限公司`, creditCode: generateCreditCode(seededRng(seed)), industry: 'manufacturing', size: 'medium',
});
export const agent = (agentId: string, channel: string) => ({
  agentId, name: '测试员', channel, branchId: 'BJ-01', teamId: 'BJ-01-T1', leaderId: null, joinedAt: '2026-01-05',
});
export const referral = (referralId: string, clientLocalId: string, productSubsidiary: Subsidiary, productLine: string, referringAgentId: string, registeredAt?: string) => ({
  referralId, clientLocalId, productSubsidiary, productLine, referringAgentId, ...(registeredAt ? { registeredAt } : {}),
});
export const policy = (
  policyNo: string, holderLocalId: string, productLine: string, seller: string, servicer: string, channel: string, referralId: string | null,
) => ({
  policyNo, productCode: 'X1', productLine, holderLocalId, insuredLocalIds: [holderLocalId], premium: { amount: '50000.00', currency: 'CNY', mode: 'ANNUAL' },
  effectiveDate: '2026-03-06', expiryDate: '2027-03-05', sellingAgentId: seller, servicingAgentId: servicer, channel, referralId,
});

/** The agents every scenario uses. */
export async function onboardAgents(h: Harness): Promise<void> {
  const agents = [['life', 'A-1001', 'AGENCY'], ['group', 'G-3001', 'GROUP_ACCOUNT'], ['pnc', 'P-2001', 'AGENCY'],
    ['group', 'G-DIRECT-1', 'DIRECT'], ['group', 'G-BROKER-1', 'BROKER']] as const;
  for (const [sub, id, channel] of agents) await h.feed('AgentOnboarded', sub, agent(id, channel));
}
