import { IdentityTables1767300100000 } from './1767300100000-identity';
import { ClientViewTables1767300100001 } from './1767300100001-client-view';
import { ClientViewPolicyTerms1767300100002 } from './1767300100002-client-view-policy-terms';

/** Identity's migrations, in order; the app appends them after the coordination core's. */
export const identityMigrations = [IdentityTables1767300100000, ClientViewTables1767300100001, ClientViewPolicyTerms1767300100002];
