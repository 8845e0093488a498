/**
 * Group-wide code lists. Subsidiaries map their own product codes and channel
 * codes onto these (catalogue mapping in the subsidiary service); the coordination
 * service only ever sees these values.
 */
import type { Subsidiary } from './topics';

export const CHANNELS = ['AGENCY', 'GROUP_ACCOUNT', 'BANCASSURANCE', 'TELESALES', 'DIRECT', 'BROKER'] as const;
export type Channel = (typeof CHANNELS)[number];

export const LIFE_PRODUCT_LINES = [
  'LIFE_WHOLE', 'LIFE_TERM', 'CRITICAL_ILLNESS', 'ANNUITY', 'UNIVERSAL_LIFE', 'HEALTH', 'ACCIDENT',
] as const;
export const PNC_PRODUCT_LINES = ['MOTOR', 'HOME', 'COMMERCIAL_PROPERTY', 'LIABILITY', 'ACCIDENT', 'HEALTH'] as const;
export const GROUP_PRODUCT_LINES = ['GROUP_LIFE', 'GROUP_HEALTH', 'GROUP_ACCIDENT', 'ENTERPRISE_ANNUITY'] as const;

/** The union of the three lists above (a unit test keeps them in step). */
export const PRODUCT_LINES = [
  'LIFE_WHOLE', 'LIFE_TERM', 'CRITICAL_ILLNESS', 'ANNUITY', 'UNIVERSAL_LIFE', 'HEALTH', 'ACCIDENT',
  'MOTOR', 'HOME', 'COMMERCIAL_PROPERTY', 'LIABILITY',
  'GROUP_LIFE', 'GROUP_HEALTH', 'GROUP_ACCIDENT', 'ENTERPRISE_ANNUITY',
] as const;
export type ProductLine = (typeof PRODUCT_LINES)[number];

/**
 * Which subsidiary may underwrite which line. Short-term accident and health are
 * sold by both life and P&C companies in China; everything else belongs to one.
 */
export const PRODUCT_LINES_BY_SUBSIDIARY: Readonly<Record<Subsidiary, readonly ProductLine[]>> = {
  life: LIFE_PRODUCT_LINES,
  pnc: PNC_PRODUCT_LINES,
  group: GROUP_PRODUCT_LINES,
};

export function subsidiaryUnderwrites(sub: Subsidiary, line: ProductLine): boolean {
  return PRODUCT_LINES_BY_SUBSIDIARY[sub].includes(line);
}

export const PREMIUM_MODES = ['ANNUAL', 'SEMI_ANNUAL', 'QUARTERLY', 'MONTHLY', 'SINGLE'] as const;
export type PremiumMode = (typeof PREMIUM_MODES)[number];

export const GENDERS = ['M', 'F', 'U'] as const;
export const ORGANIZATION_SIZES = ['micro', 'small', 'medium', 'large'] as const;
export const CONTACT_CHANNELS = ['phone', 'sms', 'email', 'wechat', 'visit', 'post'] as const;
export const CONTACT_TIMES = ['morning', 'afternoon', 'evening', 'weekend', 'anytime'] as const;
export const CONSENT_SCOPES = ['group-sharing', 'marketing', 'cross-sell-contact', 'profiling'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];
export const RELATIONSHIP_KINDS = [
  'spouse', 'child', 'parent', 'beneficiary', 'insured', 'employee-of', 'officer-of',
] as const;
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number];
export const ACTIVITY_KINDS = ['call', 'visit', 'meeting', 'quote', 'seminar'] as const;
