import type { Principal } from '@lib/platform/auth';
import { viewerRoleOf } from './client-view.reader';

const principal = (roles: Principal['roles']): Principal => ({ id: 'u-1', kind: 'api-key', name: 'test', roles, subsidiary: null });

describe('viewerRoleOf', () => {
  it.each([
    [['subsidiary:pnc'], 'subsidiary:pnc'],
    [['auditor'], 'auditor'],
    [['subsidiary:life', 'coordinator'], 'coordinator'],
    [['admin', 'auditor'], 'admin'],
  ] as const)('given roles %j, then the view is redacted for %s', (roles, expected) => {
    expect(viewerRoleOf(principal([...roles]))).toBe(expected);
  });

  it('given no role that may read views, then none', () => {
    expect(viewerRoleOf(principal([]))).toBeNull();
  });
});
