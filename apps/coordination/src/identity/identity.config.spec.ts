import { identitySettingsFrom } from './identity.config';

const KEY = 'k'.repeat(32);

describe('identity settings', () => {
  it('given nothing set, then the domain defaults', () => {
    expect(identitySettingsFrom(undefined, {})).toMatchObject({ thresholds: { autoLink: 0.99, review: 0.5 } });
  });

  it('given the app config and the environment, then the app config wins and strings are coerced', () => {
    const settings = identitySettingsFrom({ MATCH_AUTO_LINK_THRESHOLD: 0.95, IDENTITY_HMAC_KEY: KEY }, { MATCH_AUTO_LINK_THRESHOLD: '0.9', MATCH_REVIEW_THRESHOLD: '0.6' });
    expect(settings).toEqual({ thresholds: { autoLink: 0.95, review: 0.6 }, hmacKey: KEY });
  });

  it.each([
    [{ MATCH_AUTO_LINK_THRESHOLD: '1.5' }, 'MATCH_AUTO_LINK_THRESHOLD'],
    [{ MATCH_REVIEW_THRESHOLD: 'often' }, 'MATCH_REVIEW_THRESHOLD'],
    [{ MATCH_AUTO_LINK_THRESHOLD: '0.6', MATCH_REVIEW_THRESHOLD: '0.7' }, 'MATCH_REVIEW_THRESHOLD'],
  ])('given %j, then boot fails naming %s', (env, variable) => {
    expect(() => identitySettingsFrom(undefined, env)).toThrow(variable);
  });
});
