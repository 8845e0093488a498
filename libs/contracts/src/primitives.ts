/**
 * Field-level schemas shared by every payload. Messages are written for the
 * integrating developer; the field path is added by toContractIssues.
 */
import { z } from 'zod';
import { CHANNELS, PREMIUM_MODES, PRODUCT_LINES } from './codes';
import { isCalendarDate } from './identity';
import { SUBSIDIARIES } from './topics';

/** Subsidiary-local identifiers: client ids, agent ids, policy numbers, branch codes. */
export const LocalIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/, { error: 'must be 1-64 letters, digits or . _ : / - (starting alphanumeric)' });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const IsoDateSchema = z
  .string()
  .regex(DATE, { error: 'must be a date as YYYY-MM-DD' })
  .refine((v) => !DATE.test(v) || isCalendarDate(v), { error: 'must be a real calendar date' });

/** Offsets are mandatory: a local time without one is ambiguous across systems. */
export const IsoDateTimeSchema = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date-time with offset, e.g. 2026-03-01T09:30:00+08:00',
});

const MONEY = /^(0|[1-9]\d{0,14})\.\d{2}$/;
/** Money travels as a decimal string with exactly 2 decimals (yuan.fen), never a float. */
export const MoneySchema = z
  .string()
  .regex(MONEY, { error: 'must be a decimal string with exactly 2 decimals, e.g. "12000.00"' });
export const PositiveMoneySchema = MoneySchema.refine((v) => !/^0\.00$/.test(v), { error: 'must be greater than 0' });
export const SignedMoneySchema = z
  .string()
  .regex(/^-?(0|[1-9]\d{0,14})\.\d{2}$/, { error: 'must be a signed decimal string with 2 decimals, e.g. "-350.00"' })
  .refine((v) => v !== '-0.00', { error: 'zero must be written "0.00"' });

export const SubsidiarySchema = z.enum(SUBSIDIARIES);
export const ChannelSchema = z.enum(CHANNELS);
export const ProductLineSchema = z.enum(PRODUCT_LINES);
export const LocalChannelCodeSchema = z.string().min(1).max(32);

export const PremiumSchema = z.strictObject({
  amount: PositiveMoneySchema,
  currency: z.literal('CNY'),
  mode: z.enum(PREMIUM_MODES),
});

const notBlank = (v: string) => v.trim().length > 0;
export const ReasonSchema = z.string().max(500).refine(notBlank, { error: 'must not be blank' });
export const NoteSchema = z.string().max(1000);
export const NameSchema = z.string().max(200).refine(notBlank, { error: 'must not be blank' });
