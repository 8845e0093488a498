/**
 * The canonical subsidiary events the throughput bench produces: agents, persons with
 * valid resident ids, cross-registrations of the same person at a second subsidiary and
 * policies, each built with createEvent (validated exactly as the consumer will) and keyed
 * with the contracts' routing key (policies by their holder, as the services key them).
 * Seeded, so every run produces the same population.
 */
import {
  createEvent, eventsTopic, generateResidentId, identityHash, maskIdentityNumber, PRODUCT_LINES_BY_SUBSIDIARY, routingKeyForEvent,
  seededRng, type EventType, type Rng, type RoutingOptions, type Subsidiary,
} from '@lib/contracts';
import { randomUUID } from 'node:crypto';

export type Kind = 'agent' | 'client' | 'policy';

/** One Kafka record plus what the bench needs to see it arrive (subsidiary and local id / policy no). */
export interface BenchMessage {
  topic: string;
  key: string;
  value: string;
  kind: Kind;
  subsidiary: Subsidiary;
  ref: string;
  /** The envelope's eventId: what coordination.processed_events records once applied. */
  eventId: string;
}

interface Person {
  subsidiary: Subsidiary;
  localId: string;
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  idNumber: string;
  phone: string;
}

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玉萍红鹏辉建国志文斌宇浩凯健俊帆帅旭宁欣怡佳琪梓涵子轩雨萱博思远晨阳嘉琳瑞泽昊天若曦梦瑶诗雅婷慧颖晓雪冰清海波永庆德福春燕秋菊松柏林峰岚'];
const SUBS: Subsidiary[] = ['life', 'pnc', 'group'];
const AGENTS_PER_SUBSIDIARY = 100;

/** Shares of a mixed stream: per new person, the chance of a policy and of a second subsidiary's registration. */
export const MIX = { policyPerPerson: 0.5, crossRegistration: 0.1 } as const;

export class Workload {
  private readonly rng: Rng;
  private persons = 0;
  private policies = 0;
  /** Messages are built with occurredAt = now, so a birth date is never after it. */
  constructor(private readonly prefix: string, private readonly hmacKey: string, seed = 20261122) {
    this.rng = seededRng(seed);
  }

  get personCount(): number {
    return this.persons;
  }

  agents(): BenchMessage[] {
    return SUBS.flatMap((subsidiary) => Array.from({ length: AGENTS_PER_SUBSIDIARY }, (_, i) => {
      const agentId = agentIdOf(subsidiary, i);
      const payload = {
        agentId, name: this.name(), channel: subsidiary === 'group' ? 'GROUP_ACCOUNT' : 'AGENCY', branchId: `${subsidiary.toUpperCase()}-B${i % 10}`,
        teamId: `${subsidiary.toUpperCase()}-T${i % 25}`, leaderId: i % 10 === 0 ? null : agentIdOf(subsidiary, i - (i % 10)), joinedAt: '2025-01-06',
      };
      return this.message('AgentOnboarded', subsidiary, payload, 'agent', agentId);
    }));
  }

  /** New persons only: one ClientRegistered each. */
  clients(count: number): BenchMessage[] {
    return Array.from({ length: count }, () => this.registration(this.newPerson()));
  }

  /** About `count` events: new persons, some cross-registered elsewhere, about half with a policy. */
  mixed(count: number): BenchMessage[] {
    const out: BenchMessage[] = [];
    while (out.length < count) {
      const person = this.newPerson();
      out.push(this.registration(person));
      if (this.rng() < MIX.policyPerPerson) out.push(this.policy(person));
      if (this.rng() < MIX.crossRegistration) {
        const other: Person = { ...person, subsidiary: person.subsidiary === 'pnc' ? 'life' : 'pnc', localId: `${person.localId}-X` };
        out.push(this.registration(other), this.policy(other));
      }
    }
    return out.slice(0, count);
  }

  private newPerson(): Person {
    const n = this.persons++;
    const subsidiary = SUBS[n % 10 === 9 ? 2 : n % 2];
    const gender = this.rng() < 0.5 ? 'M' : 'F';
    const birthDate = `${1950 + Math.floor(this.rng() * 55)}-${pad(1 + Math.floor(this.rng() * 12), 2)}-${pad(1 + Math.floor(this.rng() * 28), 2)}`;
    return {
      subsidiary, localId: `${subsidiary.toUpperCase()}-B${pad(n, 7)}`, name: this.name(), gender, birthDate,
      idNumber: generateResidentId(this.rng, { birthDate, gender }), phone: `1${3 + (n % 7)}${pad(n, 9)}`,
    };
  }

  private registration(p: Person): BenchMessage {
    const identity = { type: 'RESIDENT_ID', hash: this.identityHashOf(p), masked: maskIdentityNumber(p.idNumber) };
    const payload = { localId: p.localId, kind: 'person', name: p.name, gender: p.gender, birthDate: p.birthDate, identity, phones: [p.phone], emails: [] };
    return this.message('ClientRegistered', p.subsidiary, payload, 'client', p.localId);
  }

  private policy(p: Person): BenchMessage {
    const policyNo = `${p.subsidiary.toUpperCase()}-BP${pad(this.policies++, 8)}`;
    const lines = PRODUCT_LINES_BY_SUBSIDIARY[p.subsidiary];
    const agentId = agentIdOf(p.subsidiary, Math.floor(this.rng() * AGENTS_PER_SUBSIDIARY));
    const premium = `${1000 + Math.floor(this.rng() * 20_000)}.${pad(Math.floor(this.rng() * 100), 2)}`;
    const payload = {
      policyNo, productCode: 'BENCH01', productLine: lines[Math.floor(this.rng() * lines.length)], holderLocalId: p.localId, insuredLocalIds: [p.localId],
      premium: { amount: premium, currency: 'CNY', mode: 'ANNUAL' }, standardPremium: premium, effectiveDate: '2026-03-01', expiryDate: '2027-02-28',
      sellingAgentId: agentId, servicingAgentId: agentId, channel: p.subsidiary === 'group' ? 'GROUP_ACCOUNT' : 'AGENCY', referralId: null,
    };
    // Keyed as the subsidiary services key it: by the holder, so it follows the holder's registration.
    return this.message('PolicyIssued', p.subsidiary, payload, 'policy', policyNo, { clientIdentityHash: this.identityHashOf(p) });
  }

  private identityHashOf(p: Person): string {
    return identityHash(this.hmacKey, 'RESIDENT_ID', p.idNumber);
  }

  private message(type: EventType, subsidiary: Subsidiary, payload: object, kind: Kind, ref: string, routing: RoutingOptions = {}): BenchMessage {
    const eventId = randomUUID();
    const built = createEvent({ type, eventId, subsidiary, occurredAt: new Date().toISOString(), correlationId: `bench-${eventId.slice(0, 8)}`, payload });
    if (!built.ok) throw new Error(`bench event ${type} is invalid: ${JSON.stringify(built.issues)}`);
    const { event } = built;
    return { topic: `${this.prefix}${eventsTopic(subsidiary)}`, key: routingKeyForEvent(event, routing), value: JSON.stringify(event), kind, subsidiary, ref, eventId };
  }

  private name(): string {
    const pick = (chars: string[]) => chars[Math.floor(this.rng() * chars.length)];
    return pick(SURNAMES) + pick(GIVEN) + (this.rng() < 0.7 ? pick(GIVEN) : '');
  }
}

const agentIdOf = (sub: Subsidiary, i: number) => `${sub.toUpperCase()}-A${pad(i, 4)}`;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Per kind, how many of the messages will show up where (links, policies) once applied. */
export function expectedRows(messages: BenchMessage[]): { links: number; policies: number } {
  return { links: messages.filter((m) => m.kind === 'client').length, policies: messages.filter((m) => m.kind === 'policy').length };
}
