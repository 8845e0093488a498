import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';

/** The OpenAPI body of a route, from the zod schema that validates it: docs and checks cannot drift apart. */
export const ApiZodBody = (schema: z.ZodType) =>
  ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' }) as Record<string, unknown> });
