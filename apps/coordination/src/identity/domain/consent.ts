/**
 * Who may see what in a 360° view (PIPL: sharing between group companies needs
 * the client's consent). A subsidiary always sees its own data; another
 * subsidiary's data only when the client gave that subsidiary group-sharing
 * consent; otherwise just that a relationship exists. Coordinators, auditors
 * and admins see everything (their reads are audited elsewhere).
 */
import { Subsidiary, SUBSIDIARIES } from './identity.types';
import { ClientView, IdentityView, ProfileView } from './client-view.types';
import { productLines, relationshipsOf, servicingAgents, summariseClaims, summariseHoldings } from './client-view';

export type ViewerRole = `subsidiary:${Subsidiary}` | 'coordinator' | 'auditor' | 'admin';

const PRIVILEGED: ReadonlySet<ViewerRole> = new Set(['coordinator', 'auditor', 'admin']);

/**
 * A subsidiary's data is shareable only if every identity the client has there
 * consented: with two local records and one refusal, the refusal wins.
 */
export function sharesWithGroup(view: ClientView, subsidiary: Subsidiary): boolean {
  const ids = view.identities.filter((i) => i.subsidiary === subsidiary);
  return ids.length > 0 && ids.every((i) => !i.redacted && i.consent?.groupSharing === true);
}

export function visibleSubsidiaries(view: ClientView, viewer: ViewerRole): Subsidiary[] {
  if (PRIVILEGED.has(viewer)) return [...SUBSIDIARIES];
  const own = viewer.slice('subsidiary:'.length) as Subsidiary;
  return SUBSIDIARIES.filter((s) => s === own || sharesWithGroup(view, s));
}

export function redactClientView(view: ClientView, viewer: ViewerRole): ClientView {
  const visible = new Set(visibleSubsidiaries(view, viewer));
  const hidden = view.subsidiaries.filter((s) => !visible.has(s));
  if (hidden.length === 0) return view;
  const sees = (x: { subsidiary: Subsidiary }) => visible.has(x.subsidiary);
  const holdings = view.holdings.filter(sees);
  const claims = view.claims.filter(sees);
  const allLines = [...view.productLines.held, ...view.productLines.notHeld];
  return {
    ...view,
    identities: redactIdentities(view.identities, visible),
    profile: redactProfile(view.profile, visible),
    holdings,
    holdingsSummary: summariseHoldings(holdings),
    claims,
    claimsSummary: summariseClaims(claims),
    servicingAgents: servicingAgents(holdings),
    relationships: view.relationships.filter(sees),
    // The label steers servicing; the amount would reveal the hidden subsidiary's business.
    tier: { tier: view.tier.tier, annualStandardPremium: null },
    productLines: productLines(holdings, allLines),
    redactedSubsidiaries: hidden,
  };
}

function redactIdentities(ids: IdentityView[], visible: Set<Subsidiary>): IdentityView[] {
  const shown = ids.filter((i) => visible.has(i.subsidiary));
  const hidden = [...new Set(ids.filter((i) => !visible.has(i.subsidiary)).map((i) => i.subsidiary))];
  return [...shown, ...hidden.map((subsidiary) => ({ redacted: true as const, subsidiary, relationshipExists: true as const }))];
}

function redactProfile(profile: ProfileView, visible: Set<Subsidiary>): ProfileView {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(profile)) {
    const hiddenSource = value && !('redacted' in value) && !visible.has(value.subsidiary);
    out[field] = hiddenSource ? { redacted: true } : value;
  }
  return out as ProfileView;
}
