/**
 * The sales force: branches, teams of about ten with a leader, agents per subsidiary
 * and channel, and who joins, moves or leaves during the period. Leaders never leave,
 * so an orphaned client always has someone to inherit it (the team-leader rule).
 */
import type { Channel, Subsidiary } from '@lib/contracts';
import { channelCode } from './catalogues';
import type { SimContext } from './context';
import { personName } from './names';

export interface Transfer {
  month: number;
  toBranchId: string;
  toTeamId: string;
  toLeaderId: string;
}

export interface Agent {
  agentId: string;
  subsidiary: Subsidiary;
  channel: Channel;
  localChannelCode: string;
  name: string;
  branchId: string;
  teamId: string;
  leaderId: string | null;
  isLeader: boolean;
  /** -1 when the agent joined before the period. */
  joinMonth: number;
  joinedDay: number;
  /** The agent leaves at the end of this month (null: stays). */
  termMonth: number | null;
  transfer: Transfer | null;
}

interface Team {
  teamId: string;
  branchId: string;
  leaderId: string;
}

const AGENT_SHARE: Record<Subsidiary, number> = { life: 0.55, pnc: 0.3, group: 0.15 };
const BRANCH_SHARE: Record<Subsidiary, number> = { life: 0.45, pnc: 0.35, group: 0.2 };
export const CHANNEL_MIX: Record<Subsidiary, Partial<Record<Channel, number>>> = {
  life: { AGENCY: 0.72, BANCASSURANCE: 0.16, TELESALES: 0.12 },
  pnc: { AGENCY: 0.4, BROKER: 0.35, DIRECT: 0.25 },
  group: { GROUP_ACCOUNT: 1 },
};
/** Local channel codes a team may use (brokers split between brokers and car dealers). */
const TEAM_CODES: Partial<Record<`${Subsidiary}:${Channel}`, string[]>> = { 'pnc:BROKER': ['JJ', '4S'] };
const CITY_CODES = ['BJ', 'SH', 'GZ', 'SZ', 'CD', 'HZ', 'WH', 'NJ', 'XA', 'CQ', 'TJ', 'SU', 'QD', 'NB', 'ZZ', 'CS'];
const SUB_LETTER: Record<Subsidiary, string> = { life: 'L', pnc: 'P', group: 'G' };
const ID_PREFIX: Record<Subsidiary, string> = { life: 'LA', pnc: 'PA', group: 'GA' };
const SUBSIDIARIES: Subsidiary[] = ['life', 'pnc', 'group'];

/** Splits `total` by shares (largest remainder), giving every share at least `min`. */
export function apportion<K extends string>(total: number, shares: Partial<Record<K, number>>, min: number): Record<K, number> {
  const entries = Object.entries(shares) as Array<[K, number]>;
  const spare = total - min * entries.length;
  const raw = entries.map(([k, s]) => [k, s * spare] as const);
  const out = Object.fromEntries(raw.map(([k, v]) => [k, min + Math.floor(v)])) as Record<K, number>;
  let left = total - Object.values<number>(out).reduce((a, b) => a + b, 0);
  for (const [k] of [...raw].sort((a, b) => (b[1] % 1) - (a[1] % 1))) {
    if (left-- <= 0) break;
    out[k] += 1;
  }
  return out;
}

export class AgentRoster {
  readonly agents: Agent[] = [];
  private readonly byId = new Map<string, Agent>();
  private readonly pools = new Map<string, Agent[]>();
  private readonly teams = new Map<string, Team[]>();

  constructor(private readonly ctx: SimContext) {
    const agentCounts = apportion(ctx.options.agents, AGENT_SHARE, 2 * 3);
    const branchCounts = apportion(ctx.options.branches, BRANCH_SHARE, 1);
    for (const sub of SUBSIDIARIES) this.staff(sub, agentCounts[sub], this.branches(sub, branchCounts[sub]));
    this.planMoves();
  }

  get(agentId: string): Agent {
    const agent = this.byId.get(agentId);
    if (!agent) throw new Error(`unknown agent ${agentId}`);
    return agent;
  }

  /** Month -1 is the setup before the period. */
  activeAt(agent: Agent, month: number): boolean {
    return month >= agent.joinMonth && (agent.termMonth === null || month <= agent.termMonth);
  }

  pickActive(sub: Subsidiary, channel: Channel, month: number): Agent {
    const pool = this.pools.get(`${sub}:${channel}`) ?? [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const agent = this.ctx.rng.pick(pool);
      if (this.activeAt(agent, month)) return agent;
    }
    return pool.find((a) => a.isLeader) ?? pool[0];
  }

  leaderAt(agent: Agent, month: number): string | null {
    if (agent.isLeader) return null;
    return agent.transfer && month > agent.transfer.month ? agent.transfer.toLeaderId : agent.leaderId;
  }

  /** Who services an agent's clients in `month`: the agent, or after a departure the leader who inherited them. */
  servicerAt(agentId: string, month: number): string {
    const agent = this.get(agentId);
    if (agent.termMonth === null || month <= agent.termMonth) return agentId;
    return this.leaderAt(agent, agent.termMonth) ?? agentId;
  }

  private branches(sub: Subsidiary, count: number): string[] {
    return Array.from({ length: count }, (_, i) => {
      const city = CITY_CODES[i % CITY_CODES.length];
      return `${SUB_LETTER[sub]}-${city}-${String(Math.floor(i / CITY_CODES.length) + 1).padStart(2, '0')}`;
    });
  }

  private staff(sub: Subsidiary, count: number, branches: string[]): void {
    const perChannel = apportion(count, CHANNEL_MIX[sub], 2);
    let teamNo = 0;
    for (const [channel, n] of Object.entries(perChannel) as Array<[Channel, number]>) {
      const teamCount = Math.max(1, Math.round(n / 10));
      const teams: Team[] = [];
      for (let t = 0; t < teamCount; t++) {
        const size = Math.floor(n / teamCount) + (t < n % teamCount ? 1 : 0);
        const branchId = branches[teamNo % branches.length];
        const teamId = `${branchId}-T${String(++teamNo).padStart(2, '0')}`;
        const code = this.ctx.rng.pick(TEAM_CODES[`${sub}:${channel}`] ?? [channelCode(this.ctx.catalogues[sub], channel)]);
        const members = Array.from({ length: size }, (_, i) => this.newAgent(sub, channel, code, branchId, teamId, i === 0));
        members.slice(1).forEach((m) => (m.leaderId = members[0].agentId));
        teams.push({ teamId, branchId, leaderId: members[0].agentId });
      }
      this.teams.set(`${sub}:${channel}`, teams);
    }
  }

  private newAgent(sub: Subsidiary, channel: Channel, code: string, branchId: string, teamId: string, isLeader: boolean): Agent {
    const { rng, calendar } = this.ctx;
    const hired = !isLeader && rng.chance(0.05);
    const joinMonth = hired ? rng.int(1, calendar.months - 1) : -1;
    const joinedDay = hired ? calendar.randomDayIn(rng, joinMonth) : calendar.startDay - rng.int(isLeader ? 730 : 30, isLeader ? 5000 : 4000);
    const n = personName(rng, rng.chance(0.5) ? 'M' : 'F');
    const agent: Agent = {
      agentId: `${ID_PREFIX[sub]}-${String(this.ctx.next(`agent:${sub}`)).padStart(5, '0')}`,
      subsidiary: sub, channel, localChannelCode: code, name: n.surname + n.given, branchId, teamId,
      leaderId: null, isLeader, joinMonth, joinedDay, termMonth: null, transfer: null,
    };
    this.agents.push(agent);
    this.byId.set(agent.agentId, agent);
    const key = `${sub}:${channel}`;
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = []));
    pool.push(agent);
    return agent;
  }

  /** About 8% of agents leave and 3% move to another team during the period. */
  private planMoves(): void {
    const { rng, calendar } = this.ctx;
    for (const agent of this.agents) {
      if (agent.isLeader) continue;
      const first = Math.max(agent.joinMonth, 0);
      if (first > calendar.months - 2) continue;
      if (rng.chance(0.08)) agent.termMonth = rng.int(first, calendar.months - 2);
      else if (rng.chance(0.033)) this.planTransfer(agent, rng.int(first, calendar.months - 2));
    }
  }

  private planTransfer(agent: Agent, month: number): void {
    const others = (this.teams.get(`${agent.subsidiary}:${agent.channel}`) ?? []).filter((t) => t.teamId !== agent.teamId);
    if (others.length === 0) return;
    const team = this.ctx.rng.pick(others);
    agent.transfer = { month, toBranchId: team.branchId, toTeamId: team.teamId, toLeaderId: team.leaderId };
  }
}
