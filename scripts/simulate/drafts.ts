/**
 * One policy draft from a product code, holder and timing: premium mode and amount,
 * expiry from the product's term, and the holder's tallies (lines held, annual premium).
 */
import type { Subsidiary } from '@lib/contracts';
import { addYears, dayOf, isoDate } from './calendar';
import { channelOfCode, productByCode } from './catalogues';
import type { SimContext } from './context';
import type { ClientRecord } from './population';
import { annualisedFen, drawInstalmentFen, drawMode, profileOf } from './premiums';
import type { PolicyDraft } from './types';

/**
 * Tier thresholds make a client top-strategic at 500,000 CNY of annual standard premium,
 * and a top-strategic account turns every approach from outside its team into a conflict.
 * The simulator keeps every client below that so the conflicts it expects are only the
 * ones it stages on purpose.
 */
export const ANNUAL_PREMIUM_CAP_FEN = 450_000 * 100;
const MIN_PREMIUM_FEN = 100 * 100;

export interface DraftInput {
  sub: Subsidiary;
  code: string;
  holder: ClientRecord;
  insured: ClientRecord[];
  /** Heads a per-head premium is charged for (default: the insured). */
  heads?: number;
  beneficiaries?: { localId: string; sharePct: number }[];
  effectiveDay: number;
  wave: number;
  sellerId: string;
  servicerId: string;
  localChannelCode: string;
  referralId?: string | null;
  beforePeriod: boolean;
}

export function draftPolicy(ctx: SimContext, input: DraftInput): PolicyDraft | null {
  const product = productByCode(ctx.catalogues[input.sub], input.code);
  const entity = input.holder.entity;
  const mode = drawMode(ctx.rng, product.premiumModes, input.code);
  let amountFen = drawInstalmentFen(ctx.rng, input.code, mode, input.heads ?? input.insured.length);
  const room = ANNUAL_PREMIUM_CAP_FEN - entity.annualFen;
  const annual = annualisedFen(amountFen, mode);
  if (annual > room) {
    if (room < MIN_PREMIUM_FEN) return null;
    amountFen = Math.max(100, Math.floor((amountFen * room) / annual));
  }
  entity.annualFen += annualisedFen(amountFen, mode);
  entity.heldLines.add(product.productLine);
  entity.holderSubs.add(input.sub);
  ctx.count(input.beforePeriod ? 'policies.beforePeriod' : 'policies.inPeriod');
  return {
    subsidiary: input.sub,
    policyNo: ctx.policyNo(input.sub, isoDate(input.effectiveDay).slice(0, 4)),
    productCode: product.code,
    productLine: product.productLine,
    holderEntity: entity.id,
    holderLocalId: input.holder.localId,
    insuredLocalIds: input.insured.map((r) => r.localId),
    beneficiaries: input.beneficiaries ?? [],
    mode,
    amountFen,
    effectiveDay: input.effectiveDay,
    expiryDay: expiryOf(input),
    wave: input.wave,
    sellingAgentId: input.sellerId,
    servicingAgentId: input.servicerId,
    channel: channelOfCode(ctx.catalogues[input.sub], input.localChannelCode),
    localChannelCode: input.localChannelCode,
    referralId: input.referralId ?? null,
    beforePeriod: input.beforePeriod,
    claimRate: profileOf(input.code).claimRate,
  };
}

function expiryOf(input: DraftInput): number {
  const { term } = profileOf(input.code);
  const eff = input.effectiveDay;
  if (term.renewable) return addYears(eff, 1) - 1;
  if (term.days) return eff + term.days - 1;
  if (term.years) return addYears(eff, term.years) - 1;
  const insured = input.insured[0]?.entity ?? input.holder.entity;
  const birth = insured.kind === 'person' ? dayOf(insured.birthDate) : eff;
  const byAge = addYears(birth, term.toAge ?? 30);
  return byAge > eff ? byAge : addYears(eff, 30);
}

/** Beneficiary shares in whole percent that add up to exactly 100. */
export function equalShares(localIds: string[]): { localId: string; sharePct: number }[] {
  const base = Math.floor(100 / localIds.length);
  return localIds.map((localId, i) => ({ localId, sharePct: i === 0 ? 100 - base * (localIds.length - 1) : base }));
}
