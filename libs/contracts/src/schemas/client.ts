/**
 * Clients: the REST input (ClientInput, identity number in clear, accepted only by
 * the subsidiary service) and the canonical event payload (identity protected:
 * HMAC hash for matching, mask for display, optional ciphertext). The clear number
 * never reaches Kafka, the event store or a log. Credit codes are public business
 * identifiers and travel in clear.
 *
 * ClientUpdated carries the full snapshot (PUT semantics): an absent optional field
 * means the subsidiary no longer holds it, not "unchanged".
 */
import { z } from 'zod';
import { CONTACT_CHANNELS, CONTACT_TIMES, GENDERS, ORGANIZATION_SIZES } from '../codes';
import {
  IDENTITY_TYPES, identityHash, isValidCreditCode, isValidIdentityNumber, maskIdentityNumber,
  normaliseIdentityNumber, residentIdBirthDate,
} from '../identity';
import { IsoDateSchema, LocalIdSchema, NameSchema } from '../primitives';

export const CnMobileSchema = z.string().regex(/^1[3-9]\d{9}$/, { error: 'must be an 11-digit mainland mobile number, e.g. 13800138000' });
const BirthDateSchema = IsoDateSchema.refine((v) => v >= '1900-01-01' || !/^\d{4}-/.test(v), { error: 'must not be before 1900-01-01' });

export const IdentityInputSchema = z
  .strictObject({ type: z.enum(IDENTITY_TYPES), number: z.string().min(1).max(40) })
  .superRefine((v, ctx) => {
    if (!isValidIdentityNumber(v.type, normaliseIdentityNumber(v.number))) {
      ctx.addIssue({ code: 'custom', path: ['number'], message: `is not a valid ${v.type} number` });
    }
  });

export const ProtectedIdentitySchema = z.strictObject({
  type: z.enum(IDENTITY_TYPES),
  hash: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be the lower-case hex HMAC-SHA256 of TYPE:number' }),
  masked: z.string().regex(/^[0-9A-Z]{0,3}\*{3,}[0-9A-Z]{0,4}$/, { error: 'must be masked, e.g. 110***********1234' }),
  encrypted: z.string().min(16).max(4096).regex(/^[A-Za-z0-9+/=._:-]+$/, { error: 'must be an opaque ciphertext (base64/JWE)' }).optional(),
});

const contactFields = {
  phones: z.array(CnMobileSchema).max(10).optional(),
  emails: z.array(z.email({ error: 'must be an e-mail address' })).max(10).optional(),
  address: z.string().min(1).max(300).optional(),
  preferredChannel: z.enum(CONTACT_CHANNELS).optional(),
  preferredContactTime: z.enum(CONTACT_TIMES).optional(),
};

function personSchema<I extends z.ZodType>(identity: I) {
  return z.strictObject({
    localId: LocalIdSchema,
    kind: z.literal('person'),
    name: NameSchema,
    gender: z.enum(GENDERS).describe('M, F, or U when unknown'),
    birthDate: BirthDateSchema.optional(),
    identity: identity.optional().describe('absent when the subsidiary has none (e.g. motor clients known by name and phone)'),
    ...contactFields,
  });
}

export const OrganizationSchema = z.strictObject({
  localId: LocalIdSchema,
  kind: z.literal('organization'),
  name: NameSchema,
  creditCode: z.string().refine(isValidCreditCode, { error: 'must be an 18-character unified social credit code with a valid check character (GB 32100-2015)' }),
  industry: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, { error: 'must be a lower-case industry slug, e.g. manufacturing' }),
  size: z.enum(ORGANIZATION_SIZES),
  ...contactFields,
});

export const PersonInputSchema = personSchema(IdentityInputSchema).superRefine((v, ctx) => {
  if (v.identity?.type !== 'RESIDENT_ID' || !v.birthDate) return;
  const encoded = residentIdBirthDate(normaliseIdentityNumber(v.identity.number));
  if (encoded && encoded !== v.birthDate) {
    ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'does not match the birth date encoded in identity.number' });
  }
});
export const PersonPayloadSchema = personSchema(ProtectedIdentitySchema);

/** Body of POST /v1/clients and PUT /v1/clients/{localId}. */
export const ClientInputSchema = z.discriminatedUnion('kind', [PersonInputSchema, OrganizationSchema]);
export const ClientRegisteredPayloadSchema = z.discriminatedUnion('kind', [PersonPayloadSchema, OrganizationSchema]);
export const ClientUpdatedPayloadSchema = ClientRegisteredPayloadSchema;

/** ClientInput plus "birth date not in the future"; `today` (YYYY-MM-DD) comes from the caller's clock. */
export function clientInputSchemaAsOf(today: string) {
  return ClientInputSchema.superRefine((v, ctx) => {
    if (v.kind === 'person' && v.birthDate && v.birthDate > today) {
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: `must not be in the future (today is ${today})` });
    }
  });
}

export type IdentityInput = z.infer<typeof IdentityInputSchema>;
export type ProtectedIdentity = z.infer<typeof ProtectedIdentitySchema>;
export type ClientInput = z.infer<typeof ClientInputSchema>;
export type PersonInput = z.infer<typeof PersonInputSchema>;
export type OrganizationClient = z.infer<typeof OrganizationSchema>;
export type PersonPayload = z.infer<typeof PersonPayloadSchema>;
export type ClientRegisteredPayload = z.infer<typeof ClientRegisteredPayloadSchema>;
export type ClientUpdatedPayload = z.infer<typeof ClientUpdatedPayloadSchema>;

export interface IdentityProtection {
  /** HMAC key shared by all subsidiary services (so hashes match across them). */
  hashKey: string | Uint8Array;
  /** Optional envelope encryption of the normalised number (e.g. JWE to the coordination key). */
  encrypt?: (normalisedNumber: string) => string;
}

export function protectIdentity(identity: IdentityInput, protection: IdentityProtection): ProtectedIdentity {
  const normalised = normaliseIdentityNumber(identity.number);
  const protectedIdentity: ProtectedIdentity = {
    type: identity.type,
    hash: identityHash(protection.hashKey, identity.type, normalised),
    masked: maskIdentityNumber(normalised),
  };
  if (protection.encrypt) protectedIdentity.encrypted = protection.encrypt(normalised);
  return protectedIdentity;
}

/** The one conversion from REST input to event payload: replaces the clear number. */
export function clientPayloadFromInput(input: ClientInput, protection: IdentityProtection): ClientRegisteredPayload {
  if (input.kind === 'organization' || !input.identity) return input as ClientRegisteredPayload;
  return { ...input, identity: protectIdentity(input.identity, protection) };
}
