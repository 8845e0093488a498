import { CreditLine } from './credit-line';
import { CreditingError } from './errors';
import { AgentPlacement, HierarchyHistory, placementAt } from './hierarchy';
import { Dec, HUNDRED, ZERO, cents, fmt, fmtRate, isMoney } from './money';
import { PolicyTransaction } from './policy-transaction';
import { CreditLevel, CreditSide, SalesLevel, Subsidiary } from './rule-set';
import { CompiledRuleSet, RuleTimeline, ruleSetAt } from './rule-timeline';
import { standardPremium } from './standard-premium';

/** What a computation may read besides the policy's own history; passed in, never fetched. */
export interface CreditContext {
  readonly timeline: RuleTimeline;
  readonly hierarchy: HierarchyHistory;
}

interface Share {
  readonly agentId: string;
  readonly percent: Dec;
}

interface LegAmounts {
  readonly premium: Dec;
  readonly standardPremium: Dec;
  readonly weightedCredit: Dec;
}

const FULL: readonly Share[] = [];

/** Sales-side shares after a conflict decision; `creditedAgentId` is seller or current servicer. */
export function salesShares(tx: PolicyTransaction, creditedAgentId: string): readonly Share[] {
  const decision = tx.conflictDecision;
  if (!decision) return [{ agentId: creditedAgentId, percent: HUNDRED }];
  switch (decision.kind) {
    case 'award':
      return [{ agentId: decision.agentId, percent: HUNDRED }];
    case 'reject-both':
      return FULL;
    case 'split': {
      const shares = decision.shares.map((s) => ({ agentId: s.agentId, percent: new Dec(s.percent) }));
      const total = shares.reduce((sum, s) => sum.plus(s.percent), ZERO);
      if (!total.eq(HUNDRED) || shares.some((s) => s.percent.lte(0))) {
        throw new CreditingError('CREDIT_INVALID_SPLIT', `split percentages of ${tx.transactionId} must be positive and sum to 100`);
      }
      return shares;
    }
  }
}

type Portion = Pick<LegAmounts, 'premium' | 'standardPremium'>;

/** Splits by percentage; the first share takes the rounding remainder so the shares sum exactly. */
function allocate(total: Portion, shares: readonly Share[]): Portion[] {
  if (shares.length === 1) return [total];
  const parts = shares.map((s) => ({
    premium: cents(total.premium.times(s.percent).div(HUNDRED)),
    standardPremium: cents(total.standardPremium.times(s.percent).div(HUNDRED)),
  }));
  const rest = (field: keyof Portion) => parts.slice(1).reduce((sum, p) => sum.plus(p[field]), ZERO);
  parts[0] = { premium: total.premium.minus(rest('premium')), standardPremium: total.standardPremium.minus(rest('standardPremium')) };
  return parts;
}

function salesWeight(rules: CompiledRuleSet, seller: Subsidiary, channel: string, product: Subsidiary): Dec {
  if (seller === product) return rules.ownSaleWeight;
  return (
    rules.weights.get(`${seller}|${channel}|${product}`) ??
    rules.weights.get(`${seller}|*|${product}`) ??
    rules.defaultCrossSaleWeight
  );
}

function beneficiaryAt(level: SalesLevel, agentId: string, placement: AgentPlacement | undefined, seller: Subsidiary): string | null {
  switch (level) {
    case 'agent':
      return agentId;
    case 'team':
      return placement?.teamId ?? null;
    case 'branch':
      return placement?.branchId ?? null;
    case 'subsidiary':
      return seller;
  }
}

interface LineSeed {
  readonly tx: PolicyTransaction;
  readonly rules: CompiledRuleSet;
  readonly factor: string;
  readonly crossSale: boolean;
}

/** A leg's amounts formatted once and shared by every level it rolls up to. */
interface FormattedLeg {
  readonly premium: string;
  readonly standardPremium: string;
  readonly weightedCredit: string;
  readonly kpiWeight: string;
  readonly sharePct: string;
}

const formatLeg = (amounts: LegAmounts, weight: Dec, sharePct: Dec): FormattedLeg => ({
  premium: fmt(amounts.premium), standardPremium: fmt(amounts.standardPremium), weightedCredit: fmt(amounts.weightedCredit),
  kpiWeight: fmtRate(weight), sharePct: sharePct.toString(),
});

function line(seed: LineSeed, side: CreditSide, level: CreditLevel, beneficiaryId: string, agentId: string | null,
  leg: FormattedLeg, reason: string): CreditLine {
  const { tx } = seed;
  const lineId = side === 'sales' ? `${tx.transactionId}|sales|${agentId}|${level}|${beneficiaryId}` : `${tx.transactionId}|product|${level}|${beneficiaryId}`;
  return {
    lineId, creditKey: lineId, origin: 'credit', side, level, beneficiaryId, creditedAgentId: agentId,
    transactionId: tx.transactionId, transactionKind: tx.kind, policyNo: tx.policyNo, effectiveDate: tx.effectiveDate,
    ruleSetVersion: seed.rules.set.version, premium: leg.premium, standardPremium: leg.standardPremium, factor: seed.factor,
    kpiWeight: leg.kpiWeight, weightedCredit: leg.weightedCredit, sharePct: leg.sharePct, crossSale: seed.crossSale,
    referralId: tx.referralId, reason,
  };
}

function salesLines(seed: LineSeed, share: Share, amounts: LegAmounts, weight: Dec, placement: AgentPlacement | undefined, seller: Subsidiary): CreditLine[] {
  const lines: CreditLine[] = [];
  const leg = formatLeg(amounts, weight, share.percent);
  const why = `${seed.tx.kind} ${seed.tx.policyNo}: ${seller}→${seed.tx.productSubsidiary} standard ${leg.standardPremium} × weight ${leg.kpiWeight} (${leg.sharePct}% of leg, hierarchy as of ${seed.tx.effectiveDate})`;
  for (const level of seed.rules.set.salesLevels) {
    const beneficiary = beneficiaryAt(level, share.agentId, placement, seller);
    if (beneficiary !== null) lines.push(line(seed, 'sales', level, beneficiary, share.agentId, leg, `sales/${level} ${why}`));
  }
  return lines;
}

/** The seller's subsidiary and channel: as reported for the seller, else as the hierarchy stood. */
function sellerOf(tx: PolicyTransaction, agentId: string, placement: AgentPlacement | undefined): { seller: Subsidiary; channel: string } {
  if (agentId === tx.sellingAgentId || !placement) return { seller: tx.sellingSubsidiary, channel: tx.channel };
  return { seller: placement.subsidiary, channel: placement.channel };
}

function modalPremium(tx: PolicyTransaction): Dec {
  const amount = tx.kind === 'Endorsed' ? tx.premiumDelta : tx.premium.amount;
  if (amount === undefined || !isMoney(amount)) {
    throw new CreditingError('CREDIT_INVALID_AMOUNT', `${tx.transactionId}: premium ${amount} is not an amount with at most 2 decimals`);
  }
  return new Dec(amount);
}

function productLines(seed: LineSeed, standard: Dec, annualised: Dec): CreditLine[] {
  const { tx, rules } = seed;
  const lines: CreditLine[] = [];
  const why = `${tx.kind} ${tx.policyNo}: product side of ${tx.productSubsidiary}/${tx.productLine}, standard ${fmt(standard)}`;
  if (rules.productLevels.has('subsidiary')) {
    const w = rules.productSubsidiaryWeight;
    const amounts = { premium: annualised, standardPremium: standard, weightedCredit: cents(standard.times(w)) };
    lines.push(line(seed, 'product', 'subsidiary', tx.productSubsidiary, null, formatLeg(amounts, w, HUNDRED), `product/subsidiary ${why} × weight ${fmtRate(w)}`));
  }
  if (rules.productLevels.has('specialist') && tx.productSpecialistId) {
    const w = rules.productSpecialistWeight;
    const amounts = { premium: annualised, standardPremium: standard, weightedCredit: cents(standard.times(w)) };
    lines.push(line(seed, 'product', 'specialist', tx.productSpecialistId, null, formatLeg(amounts, w, HUNDRED), `product/specialist ${why} × weight ${fmtRate(w)}`));
  }
  return lines;
}

/**
 * Credit lines of an Issued/Renewed/Endorsed transaction: the sales leg (credited agent and the
 * configured rollups, as the hierarchy stood on the effective date) and the product leg. The two
 * legs are separate records computed from the same standard premium, never one amount split.
 */
export function computeCreditLines(tx: PolicyTransaction, creditedAgentId: string, ctx: CreditContext): CreditLine[] {
  const rules = ruleSetAt(ctx.timeline, tx.effectiveDate);
  const sp = standardPremium(rules, tx.productSubsidiary, tx.productLine, tx.premium.mode, modalPremium(tx));
  const factor = fmtRate(sp.factor);
  const shares = salesShares(tx, creditedAgentId);
  const lines: CreditLine[] = [];
  const portions = allocate({ premium: sp.annualised, standardPremium: sp.standardPremium }, shares);
  let anyCrossSale = shares.length === 0 && tx.sellingSubsidiary !== tx.productSubsidiary;
  shares.forEach((share, i) => {
    const placement = placementAt(ctx.hierarchy, share.agentId, tx.effectiveDate);
    const { seller, channel } = sellerOf(tx, share.agentId, placement);
    const weight = salesWeight(rules, seller, channel, tx.productSubsidiary);
    const seed: LineSeed = { tx, rules, factor, crossSale: seller !== tx.productSubsidiary };
    anyCrossSale ||= seed.crossSale;
    const amounts = { ...portions[i], weightedCredit: cents(portions[i].standardPremium.times(weight)) };
    lines.push(...salesLines(seed, share, amounts, weight, placement, seller));
  });
  lines.push(...productLines({ tx, rules, factor, crossSale: anyCrossSale }, sp.standardPremium, sp.annualised));
  assertNoDoubleCounting(lines);
  return lines;
}

/** The same leg for the same beneficiary twice in one transaction is double counting. */
export function assertNoDoubleCounting(lines: readonly CreditLine[]): void {
  const seen = new Set<string>();
  for (const l of lines) {
    if (seen.has(l.lineId)) {
      throw new CreditingError('CREDIT_DOUBLE_COUNTING', `leg ${l.lineId} counted twice in transaction ${l.transactionId}`);
    }
    seen.add(l.lineId);
  }
}
