import type { InboundOperation } from '@lib/contracts';
import { assertSubsidiary, type Principal } from '@lib/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings';
import { intakeError } from '../intake/intake.errors';
import { IntakeService } from '../intake/intake.service';
import type { AcceptedAnswer } from '../persistence/idempotency.store';

export type IntakeHttpRequest = FastifyRequest;

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** The Idempotency-Key header: required on every write, one value, visible ASCII. */
export function idempotencyKeyOf(headers: FastifyRequest['headers']): string {
  const raw = headers['idempotency-key'];
  const value = Array.isArray(raw) ? (raw.length === 1 ? raw[0] : null) : raw;
  if (value === undefined || value === '') {
    throw intakeError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header (e.g. a UUID) with every POST and PUT.');
  }
  if (value === null || !KEY_PATTERN.test(value)) {
    throw intakeError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be one value of 1-200 visible ASCII characters.');
  }
  return value;
}

/** REST adapter of the intake: who may write, which key, then the shared IntakeService. */
@Injectable()
export class IntakeHttp {
  constructor(
    private readonly intake: IntakeService,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  async handle(
    operation: InboundOperation,
    principal: Principal,
    target: string | null,
    body: unknown,
    req: IntakeHttpRequest,
    res: FastifyReply,
  ): Promise<AcceptedAnswer> {
    assertSubsidiary(principal, this.settings.subsidiary);
    const result = await this.intake.submit({
      operation,
      target,
      body,
      idempotencyKey: idempotencyKeyOf(req.headers),
      principalId: `${principal.kind}:${principal.id}`,
      correlationId: req.correlationId || randomUUID(),
    });
    res.status(result.statusCode);
    if (result.replayed) res.header('Idempotent-Replayed', 'true');
    return result.body;
  }
}
