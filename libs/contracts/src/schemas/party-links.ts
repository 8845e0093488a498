/**
 * Consent and relationships between a subsidiary's own clients.
 *
 * Consent is per scope; the latest ConsentChanged per (client, scope) by `at`
 * wins. Sharing a client's data with another subsidiary needs `group-sharing`.
 *
 * RelationshipDeclared reads "fromLocalId is <kind> of toLocalId": a spouse, a
 * child or parent, the beneficiary or insured of the other's policy, an employee
 * or officer (with `role`, e.g. COO) of an organization client.
 */
import { z } from 'zod';
import { CONSENT_SCOPES, RELATIONSHIP_KINDS } from '../codes';
import { IsoDateSchema, IsoDateTimeSchema, LocalIdSchema } from '../primitives';

export const ConsentChangedPayloadSchema = z.strictObject({
  localId: LocalIdSchema.describe('the client whose consent changed'),
  scope: z.enum(CONSENT_SCOPES),
  granted: z.boolean(),
  at: IsoDateTimeSchema.describe('when the client gave or withdrew consent'),
  source: z.string().min(1).max(100).describe('where it was captured: app, paper-form, call-center, agent, ...'),
  evidenceRef: z.string().min(1).max(200).optional().describe('reference to the signed form or recording'),
});

const RELATIONSHIP_FIELDS = {
  fromLocalId: LocalIdSchema,
  toLocalId: LocalIdSchema,
  kind: z.enum(RELATIONSHIP_KINDS),
  since: IsoDateSchema.optional(),
  until: IsoDateSchema.optional().describe('set when the relationship ended (divorce, leaving the company)'),
  role: z.string().min(1).max(64).optional().describe('job title for officer-of / employee-of, e.g. COO'),
};

export const RelationshipDeclaredPayloadSchema = z.strictObject(RELATIONSHIP_FIELDS).superRefine((v, ctx) => {
  if (v.fromLocalId === v.toLocalId) {
    ctx.addIssue({ code: 'custom', path: ['toLocalId'], message: 'must differ from fromLocalId' });
  }
  if (v.since && v.until && v.until < v.since) {
    ctx.addIssue({ code: 'custom', path: ['until'], message: 'must not be before since' });
  }
});

/** Body of POST /v1/clients/{localId}/consents (the client comes from the path). */
export const ConsentInputSchema = ConsentChangedPayloadSchema.omit({ localId: true });
export type ConsentInput = z.infer<typeof ConsentInputSchema>;

export type ConsentChangedPayload = z.infer<typeof ConsentChangedPayloadSchema>;
export type RelationshipDeclaredPayload = z.infer<typeof RelationshipDeclaredPayloadSchema>;
