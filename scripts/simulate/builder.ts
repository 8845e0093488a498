/**
 * Collects planned requests in any order and hands them back sorted by wave (stable,
 * so generation order is kept inside a wave). Idempotency-Keys derive from the seed
 * and the entity, so the same plan sent twice changes nothing the second time.
 */
import { INBOUND_OPERATIONS, type InboundOperation, type Subsidiary } from '@lib/contracts';
import type { CredentialName, PlannedRequest, RequestKind, Service } from './types';

export interface IntakeSpec {
  /** The path parameter ({localId}, {agentId}, {policyNo}, {claimNo}, {referralId}) when the route has one. */
  target?: string;
  /** What makes this request unique within its subsidiary and operation (e.g. the policy number). */
  entityKey: string;
}

export class PlanBuilder {
  private readonly requests: PlannedRequest[] = [];

  constructor(private readonly seed: number) {}

  intake(sub: Subsidiary, kind: InboundOperation, wave: number, body: Record<string, unknown>, spec: IntakeSpec): void {
    const route = INBOUND_OPERATIONS[kind];
    const path = route.path.replace(/\{\w+\}/, () => {
      if (spec.target === undefined) throw new Error(`${kind} needs a target for ${route.path}`);
      return encodeURIComponent(spec.target);
    });
    this.push({ wave, service: sub, as: sub, method: route.method, path, body, kind, spec });
  }

  /** A write to the coordination service made on behalf of a subsidiary (e.g. marking a referral lost). */
  coordination(as: CredentialName, kind: RequestKind, wave: number, path: string, body: Record<string, unknown>, spec: IntakeSpec): void {
    this.push({ wave, service: 'coordination', as, method: 'POST', path, body, kind, spec });
  }

  get size(): number {
    return this.requests.length;
  }

  build(): PlannedRequest[] {
    const sorted = [...this.requests].sort((a, b) => a.wave - b.wave || a.seq - b.seq);
    sorted.forEach((r, seq) => (r.seq = seq));
    return sorted;
  }

  private push(r: {
    wave: number; service: Service; as: CredentialName; method: 'POST' | 'PUT'; path: string;
    body: Record<string, unknown>; kind: RequestKind; spec: IntakeSpec;
  }): void {
    const { spec } = r;
    this.requests.push({
      seq: this.requests.length,
      wave: r.wave,
      service: r.service,
      as: r.as,
      method: r.method,
      path: r.path,
      body: r.body,
      idempotencyKey: `sim-${this.seed}-${r.service}-${r.kind}-${spec.entityKey}`,
      kind: r.kind,
      ...(spec.target !== undefined ? { target: spec.target } : {}),
    });
  }
}
