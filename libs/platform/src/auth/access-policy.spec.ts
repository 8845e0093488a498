import { assertSubsidiary, authorize } from './access-policy';
import { AuthError } from './auth.errors';
import type { Principal, Role } from './roles';

const principal = (roles: Role[], subsidiary: Principal['subsidiary'] = null): Principal => ({
  id: 'p-1',
  kind: 'api-key',
  name: 'test',
  roles,
  subsidiary,
});

describe('authorize', () => {
  it.each<[string, Role[], Role[] | undefined, string, boolean]>([
    ['a listed role reads', ['coordinator'], ['coordinator', 'auditor'], 'GET', true],
    ['a listed role writes', ['coordinator'], ['coordinator'], 'POST', true],
    ['an auditor reads a route that lists auditors', ['auditor'], ['auditor'], 'GET', true],
    ['an auditor HEADs a route that lists auditors', ['auditor'], ['auditor'], 'head', true],
    ['an auditor POSTs to a route that lists auditors', ['auditor'], ['auditor', 'admin'], 'POST', false],
    ['an auditor DELETEs a route that lists auditors', ['auditor'], ['auditor'], 'DELETE', false],
    ['an auditor who is also coordinator writes', ['auditor', 'coordinator'], ['coordinator'], 'PUT', false],
    ['admin calls a route that does not list admin', ['admin'], ['coordinator'], 'GET', false],
    ['admin calls a route that lists admin', ['admin'], ['coordinator', 'admin'], 'POST', true],
    ['a subsidiary calls a coordinator route', ['subsidiary:life'], ['coordinator'], 'GET', false],
    ['anyone calls a route without @Roles', ['admin'], undefined, 'GET', false],
    ['anyone calls a route with empty @Roles()', ['admin'], [], 'GET', false],
    ['a principal without roles', [], ['coordinator'], 'GET', false],
  ])('given %s, then allowed is %s', (_label, roles, required, method, allowed) => {
    expect(authorize(principal(roles), required, method).allowed).toBe(allowed);
  });

  it('given a refusal, then the reason says why', () => {
    const decision = authorize(principal(['auditor']), ['auditor'], 'POST');
    expect(decision).toEqual({ allowed: false, reason: 'Auditors are read-only.' });
  });
});

describe('assertSubsidiary', () => {
  it('given a life key, when it acts for life, then it passes', () => {
    expect(() => assertSubsidiary(principal(['subsidiary:life'], 'life'), 'life')).not.toThrow();
  });

  it('given a life key, when it writes for P&C, then 403 FORBIDDEN', () => {
    const attempt = () => assertSubsidiary(principal(['subsidiary:life'], 'life'), 'pnc');
    expect(attempt).toThrow(AuthError);
    expect(attempt).toThrow(expect.objectContaining({ status: 403, code: 'FORBIDDEN' }));
  });

  it('given a principal whose subsidiary field disagrees with its role, then it does not pass', () => {
    expect(() => assertSubsidiary(principal(['subsidiary:pnc'], 'life'), 'life')).toThrow(AuthError);
  });

  it('given a coordinator, when the route does not allow group roles, then 403', () => {
    expect(() => assertSubsidiary(principal(['coordinator']), 'group')).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('given a coordinator, when the route allows coordinators, then it passes', () => {
    expect(() => assertSubsidiary(principal(['coordinator']), 'group', { allowRoles: ['coordinator'] })).not.toThrow();
  });
});
