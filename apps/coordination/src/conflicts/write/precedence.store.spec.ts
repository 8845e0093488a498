import { DEFAULT_PRECEDENCE, type Precedence } from '../domain';
import { precedenceAfter, PRECEDENCE_CHANGED } from './precedence.store';

const change = (precedence: Precedence, revision: bigint) => ({
  type: PRECEDENCE_CHANGED,
  streamRevision: revision,
  data: { precedence, previous: DEFAULT_PRECEDENCE, changedBy: 'admin-1', changedAt: '2026-03-01T00:00:00Z' },
});

describe('precedenceAfter', () => {
  it('given no change, when read, then the domain default is in force at version 0', () => {
    expect(precedenceAfter([])).toEqual({ precedence: DEFAULT_PRECEDENCE, version: 0, changedBy: null, changedAt: null });
  });

  it('given two changes, when read, then the newest wins and the version counts both', () => {
    const firstOnly: Precedence = { order: ['first-valid-registration'], alwaysQueue: [] };
    const strategicFirst: Precedence = { order: ['strategic-account', 'servicing-relationship'], alwaysQueue: ['channel-quote-clash'] };
    expect(precedenceAfter([change(firstOnly, 0n), change(strategicFirst, 1n)])).toMatchObject({ precedence: strategicFirst, version: 2, changedBy: 'admin-1' });
  });
});
