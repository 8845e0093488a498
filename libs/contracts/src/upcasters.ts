/**
 * Upcasting on read: an event stored or published at an old schemaVersion is
 * lifted, one version at a time, to the current shape before anyone sees it, so
 * domain code only ever handles the current payload types.
 *
 * The one real example: PolicyIssued and PolicyRenewed v1 sent premium.amount as
 * a JSON number. v2 sends a 2-decimal string. The upcaster converts the number's
 * exact decimal text and never rounds: a v1 amount with more than 2 decimals
 * (e.g. 0.30000000000000004, already corrupted by float arithmetic upstream) is
 * passed through as text and then fails v2 validation, so it lands in the DLQ
 * for a human instead of being silently changed.
 */
import Decimal from 'decimal.js';
import { CURRENT_VERSION, EVENT_SCHEMAS, EventType } from './registry';
import { ContractIssue, parseWith } from './issues';

/** Takes a payload valid at version v and returns the raw shape of version v + 1. */
export type Upcaster = (payload: Record<string, unknown>) => Record<string, unknown>;

function numberToMoneyText(amount: unknown): unknown {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return amount;
  const exact = new Decimal(String(amount));
  return exact.decimalPlaces() <= 2 ? exact.toFixed(2) : exact.toFixed();
}

export function premiumAmountToDecimalString(payload: Record<string, unknown>): Record<string, unknown> {
  const premium = payload.premium as Record<string, unknown>;
  return { ...payload, premium: { ...premium, amount: numberToMoneyText(premium.amount) } };
}

/** UPCASTERS[type][v] lifts version v to v + 1. */
export const UPCASTERS: { readonly [T in EventType]?: Readonly<Record<number, Upcaster>> } = {
  PolicyIssued: { 1: premiumAmountToDecimalString },
  PolicyRenewed: { 1: premiumAmountToDecimalString },
};

export type UpcastResult = { ok: true; payload: Record<string, unknown> } | { ok: false; issues: ContractIssue[] };

/**
 * Validates `payload` at `version`, then upcasts and re-validates step by step up
 * to the current version. Issues name the field under `prefix` and the version
 * whose schema rejected it.
 */
export function upcastPayload(type: EventType, version: number, payload: unknown, prefix: readonly PropertyKey[] = ['payload']): UpcastResult {
  let current = parseWith(EVENT_SCHEMAS[type][version], payload, prefix);
  for (let v = version; current.ok && v < CURRENT_VERSION[type]; v++) {
    const step = UPCASTERS[type]?.[v];
    if (!step) return { ok: false, issues: [{ path: 'schemaVersion', code: 'no_upcaster', message: `no upcaster from ${type} v${v}` }] };
    current = parseWith(EVENT_SCHEMAS[type][v + 1], step(current.value as Record<string, unknown>), prefix);
    if (!current.ok) return { ok: false, issues: current.issues.map((i) => ({ ...i, message: `${i.message} (after upcasting to v${v + 1})` })) };
  }
  return current.ok ? { ok: true, payload: current.value as Record<string, unknown> } : current;
}
