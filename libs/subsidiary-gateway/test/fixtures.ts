import { generateCreditCode, generateResidentId, seededRng } from '@lib/contracts';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { GatewayHarness } from './gateway-harness';

const rng = seededRng(20260301);

export function person(localId: string, birthDate = '1989-12-23') {
  return {
    localId, kind: 'person', name: '徐思远', gender: 'M', birthDate,
    identity: { type: 'RESIDENT_ID', number: generateResidentId(rng, { birthDate, gender: 'M' }) },
    phones: ['15054360764'], emails: [], address: '北京市淮海路197号',
  };
}

export function organization(localId: string) {
  return { localId, kind: 'organization', name: '华达科技有限公司', creditCode: generateCreditCode(rng), industry: 'manufacturing', size: 'medium' };
}

export function agent(agentId: string, localChannelCode?: string) {
  return {
    agentId, name: '李娜', branchId: 'BJ-01', teamId: 'BJ-01-T3', leaderId: null, joinedAt: '2026-01-05',
    ...(localChannelCode ? { localChannelCode } : { channel: 'AGENCY' }),
  };
}

export function policy(policyNo: string, holder: string, agentId: string, productCode: string, extra: Record<string, unknown> = {}) {
  return {
    policyNo, productCode, holderLocalId: holder, insuredLocalIds: [holder],
    premium: { amount: '12000.00', currency: 'CNY', mode: 'ANNUAL' },
    effectiveDate: '2026-03-01', expiryDate: '2046-02-28',
    sellingAgentId: agentId, servicingAgentId: agentId, channel: 'AGENCY', referralId: null,
    ...extra,
  };
}

/** A write with the service's own key and a fresh Idempotency-Key unless one is given. */
export function send(h: GatewayHarness, method: 'post' | 'put', path: string, body: unknown, key: string = randomUUID(), apiKey = h.keys.own) {
  return request(h.app.getHttpServer())[method](path).set('X-Api-Key', apiKey).set('Idempotency-Key', key).send(body as object);
}

/** Like send, but fails the test unless the service accepts. */
export async function accepted(h: GatewayHarness, method: 'post' | 'put', path: string, body: unknown, key?: string) {
  const res = await send(h, method, path, body, key);
  if (res.status !== 202) throw new Error(`${method.toUpperCase()} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { eventId: string; type: string; status: string; location: string; identity?: { type: string; masked: string } };
}
