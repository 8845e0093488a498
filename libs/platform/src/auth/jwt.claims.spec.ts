import { principalFromClaims } from './jwt.claims';
import { resolveSubsidiary } from './roles';

describe('principalFromClaims', () => {
  it('given full claims, then sub, name, roles and subsidiary map onto the principal', () => {
    expect(principalFromClaims({ sub: 'u-1', name: '李娜', roles: ['subsidiary:life'], subsidiary: 'life' })).toEqual({
      id: 'u-1',
      kind: 'jwt',
      name: '李娜',
      roles: ['subsidiary:life'],
      subsidiary: 'life',
    });
  });

  it('given a subsidiary role without a subsidiary claim, then the role fixes the subsidiary', () => {
    expect(principalFromClaims({ sub: 'u-1', roles: ['subsidiary:pnc'] })?.subsidiary).toBe('pnc');
  });

  it('given no name, then the subject names the principal', () => {
    expect(principalFromClaims({ sub: 'u-1', roles: ['coordinator'] })?.name).toBe('u-1');
  });

  it('given roles of other systems and duplicates, then only ours remain, once', () => {
    expect(principalFromClaims({ sub: 'u-1', roles: ['offline_access', 'auditor', 'auditor', 42] })?.roles).toEqual(['auditor']);
  });

  it('given a group role with a subsidiary claim, then the claim is kept as information', () => {
    expect(principalFromClaims({ sub: 'u-1', roles: ['coordinator'], subsidiary: 'group' })?.subsidiary).toBe('group');
  });

  it.each([
    ['no subject', { roles: ['coordinator'] }],
    ['empty subject', { sub: '', roles: ['coordinator'] }],
    ['roles not an array', { sub: 'u-1', roles: 'coordinator' }],
    ['no roles claim', { sub: 'u-1' }],
    ['unknown subsidiary', { sub: 'u-1', roles: ['coordinator'], subsidiary: 'bank' }],
    ['subsidiary contradicting the role', { sub: 'u-1', roles: ['subsidiary:life'], subsidiary: 'pnc' }],
    ['two subsidiary roles', { sub: 'u-1', roles: ['subsidiary:life', 'subsidiary:pnc'] }],
  ])('given %s, then no principal', (_label, claims) => {
    expect(principalFromClaims(claims)).toBeNull();
  });
});

describe('resolveSubsidiary', () => {
  it.each([
    [['subsidiary:life'], null, 'life'],
    [['subsidiary:life'], 'life', 'life'],
    [['subsidiary:life'], 'group', undefined],
    [['admin'], null, null],
    [['admin'], 'pnc', 'pnc'],
    [['subsidiary:group', 'subsidiary:life'], null, undefined],
  ] as const)('given roles %j and declared %s, then %s', (roles, declared, expected) => {
    expect(resolveSubsidiary(roles, declared)).toBe(expected);
  });
});
