import { DetectedConflict } from '../conflicts.types';
import { toMs } from '../time';
import { ExpectedConflict, ScopeFacts, ScopeRegistration, ScopeSale, partyAsOf, policiesAt, registrationConflicts } from './as-of';
import { conflictKey } from './detect';
import { ConflictFacts, DEFAULT_DETECTION_CONFIG, DetectionConfig, IssuedPolicy, LiveRegistration } from './facts';
import { detectPolicyVsRegistration } from './policy-vs-registration.rule';
import { approachConflicts } from './approaches-as-of';
import { quoteClashes } from './quotes-as-of';

/**
 * A sale is judged against the registrations that held the line when it was issued, whatever
 * arrived first: a registration filed before the sale but received after it is still bypassed
 * by it. These functions are pure over the party's facts in one line, so every arrival order
 * of the same facts expects the same conflicts.
 */

const strip = ({ closedAt: _closed, ...r }: ScopeRegistration): LiveRegistration => r;

/** Still holding at the sale: the registration this very sale converted closes at its issue time and still counts. */
const holdsThrough = (r: ScopeRegistration, at: number): boolean => !r.closedAt || toMs(r.closedAt) >= at;

const registeredBy = (scope: ScopeFacts, referralId: string | undefined, at: number): boolean => {
  const reg = scope.registrations.find((r) => r.referralId === referralId);
  return reg !== undefined && toMs(reg.registeredAt) <= at;
};

/**
 * Registrations already weighed against the referral the sale converted, in a conflict raised by
 * then (two rival registrations, say): that conflict's decision governs the sale, so they are not
 * bypassed by it.
 */
function settledWith(scope: ScopeFacts, sale: ScopeSale, registrationConflicts: readonly ExpectedConflict[]): Set<string> {
  const converted = sale.convertedReferralId;
  if (!converted) return new Set();
  const at = toMs(sale.issuedAt);
  const settled = registrationConflicts
    .map((e) => e.conflict)
    .filter((c) => registeredBy(scope, c.subject?.referralId, at) && c.claimants.some((k) => k.referralId === converted))
    .flatMap((c) => c.claimants.map((k) => k.referralId).filter((id): id is string => Boolean(id)));
  return new Set(settled.filter((id) => id !== converted));
}

export const issuedPolicyOf = (scope: ScopeFacts, sale: ScopeSale): IssuedPolicy => ({
  policyNo: sale.policyNo,
  partyId: scope.partyId,
  productLine: scope.productLine,
  subsidiary: sale.sellingSubsidiary,
  channel: sale.channel,
  servicingAgentId: sale.servicingAgentId,
  sellingAgentId: sale.sellingAgentId,
  issuedAt: sale.issuedAt,
  referralId: sale.referralId,
});

/** The facts as they stood when the sale was issued: registrations holding then, other policies in force then. */
export function factsWhenSold(scope: ScopeFacts, sale: ScopeSale, settled: ReadonlySet<string> = new Set()): ConflictFacts {
  const at = toMs(sale.issuedAt);
  const registrations = scope.registrations.filter((r) => toMs(r.registeredAt) <= at && holdsThrough(r, at) && !settled.has(r.referralId));
  const party = partyAsOf(scope, sale.issuedAt);
  return {
    registrations: registrations.map(strip),
    policies: policiesAt(scope.policies, sale.issuedAt, sale.policyNo),
    quotes: [],
    ...(party ? { party } : {}),
  };
}

/** Every conflict the party's sales in this line raise (a sale bypassing a live registration), each as of its issue time. */
export function saleConflicts(
  scope: ScopeFacts, registrationConflicts: readonly ExpectedConflict[], config: DetectionConfig = DEFAULT_DETECTION_CONFIG,
): ExpectedConflict[] {
  const sales = [...(scope.sales ?? [])].sort((a, b) => toMs(a.issuedAt) - toMs(b.issuedAt) || a.policyNo.localeCompare(b.policyNo));
  return sales.flatMap((sale) => {
    const facts = factsWhenSold(scope, sale, settledWith(scope, sale, registrationConflicts));
    return detectPolicyVsRegistration({ kind: 'policy-issued', policy: issuedPolicyOf(scope, sale) }, facts, config)
      .map((conflict: DetectedConflict) => ({ key: conflictKey(conflict), conflict, facts, productSubsidiary: sale.productSubsidiary }));
  });
}

/** Every conflict the party's registrations, sales, quotes and other approaches in this line raise: what the recorded ones are reconciled with. */
export function expectedScopeConflicts(scope: ScopeFacts, config: DetectionConfig = DEFAULT_DETECTION_CONFIG): ExpectedConflict[] {
  const registrations = registrationConflicts(scope, config);
  return [...registrations, ...saleConflicts(scope, registrations, config), ...quoteClashes(scope, config), ...approachConflicts(scope, config)];
}
