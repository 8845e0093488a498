import { INBOUND_OPERATIONS, type InboundOperation } from '@lib/contracts';
import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { INTAKE_ERRORS, type IntakeErrorCode } from '../intake/intake.errors';
import { OPERATIONS } from '../intake/operations';

export const STRICTNESS_NOTE =
  'Bodies are validated against the @lib/contracts schemas. Unknown fields are REJECTED (400, one error per field, ' +
  'e.g. `{"field":"nickname","message":"is not a known field (unknown fields are rejected)"}`): a field the group does ' +
  'not know would otherwise be lost silently. Money is a decimal string with 2 decimals ("12000.00"), dates YYYY-MM-DD, ' +
  'date-times ISO-8601 with offset. Every write needs an `Idempotency-Key`; a retry with the same key and body returns ' +
  'the first answer, the same key with another body is 409 IDEMPOTENCY_KEY_REUSED.';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
    code: { type: 'string' }, correlationId: { type: 'string' }, instance: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const ACCEPTED_SCHEMA = {
  type: 'object',
  properties: {
    eventId: { type: 'string', format: 'uuid', description: 'id of the canonical event; derived from the Idempotency-Key' },
    type: { type: 'string', example: 'PolicyIssued' },
    status: { type: 'string', enum: ['accepted'] },
    location: { type: 'string', example: '/v1/policies/LP-2026-000001' },
    identity: {
      type: 'object', description: 'clients only: the identity document, masked',
      properties: { type: { type: 'string' }, masked: { type: 'string', example: '110***********1234' } },
    },
  },
};

/** zod 4 -> OpenAPI 3.0 schema of the REST body, as accepted (input side). */
export function bodyJsonSchema(name: InboundOperation): Record<string, unknown> {
  // The client schema takes "today" only for the birth-date check, which JSON Schema cannot express.
  const schema = INBOUND_OPERATIONS[name].body('9999-12-31');
  return z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' }) as Record<string, unknown>;
}

function codesWith(status: number): string {
  const codes = (Object.keys(INTAKE_ERRORS) as IntakeErrorCode[]).filter((c) => INTAKE_ERRORS[c] === status);
  return codes.map((c) => `\`${c}\``).join(', ');
}

function problem(status: number, description: string) {
  return ApiResponse({ status, description, content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } } });
}

/** Everything Swagger shows for one intake route, taken from the operation table. */
export function IntakeRoute(name: InboundOperation): MethodDecorator {
  const op = OPERATIONS[name];
  const param = /\{(\w+)\}/.exec(INBOUND_OPERATIONS[name].path)?.[1];
  return applyDecorators(
    HttpCode(202),
    ApiOperation({
      operationId: name,
      summary: op.summary,
      description: `Publishes **${op.emits}** on \`subsidiary.<sub>.events\`. Kafka equivalent: operation \`${name}\` on \`subsidiary.<sub>.inbound\`.\n\n${STRICTNESS_NOTE}`,
    }),
    ...(param ? [ApiParam({ name: param, required: true, schema: { type: 'string' } })] : []),
    ApiHeader({ name: 'Idempotency-Key', required: true, description: 'unique per request (1-200 visible ASCII characters), e.g. a UUID' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'carried into the event envelope; generated when absent' }),
    ApiBody({ required: true, schema: bodyJsonSchema(name) }),
    ApiResponse({ status: 202, description: 'accepted; the event is in the outbox', schema: ACCEPTED_SCHEMA }),
    problem(400, `malformed JSON, invalid or unknown fields, missing Idempotency-Key: ${codesWith(400)}, MALFORMED_JSON`),
    problem(401, 'missing or invalid credentials'),
    problem(403, "the principal does not speak for this service's subsidiary"),
    problem(404, `the resource in the path is unknown: ${codesWith(404)}`),
    problem(409, `conflicts with what was accepted before: ${codesWith(409)}`),
    problem(413, 'body larger than the limit'),
    problem(415, 'body not application/json'),
    problem(422, `valid JSON the service cannot map or refers to unknown things: ${codesWith(422)}`),
  );
}
