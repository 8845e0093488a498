import { createHash } from 'node:crypto';
import { formatApiKey, generateApiKey, hashSecret, parseApiKey, secretMatches } from './api-key.util';

const pinned = (byte: number) => (size: number) => Buffer.alloc(size, byte);

describe('API key format', () => {
  it('given a generated key, when parsed, then it yields the same id and secret', () => {
    const generated = generateApiKey();
    expect(generated.key).toMatch(/^xsk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(generated.key)).toEqual({ id: generated.id, secret: generated.secret });
  });

  it('given a pinned random source, when generating, then the key is determined by it', () => {
    const generated = generateApiKey(pinned(0xff));
    expect(generated.id).toBe('ffffffffffffffff');
    expect(generated.secret).toBe(Buffer.alloc(32, 0xff).toString('base64url'));
    expect(generated.key).toBe(`xsk_ffffffffffffffff_${generated.secret}`);
  });

  it('given a secret containing underscores, when parsed, then only the first separator splits', () => {
    const secret = `${'_'.repeat(10)}${'a'.repeat(33)}`;
    expect(parseApiKey(formatApiKey('0123456789abcdef', secret))).toEqual({ id: '0123456789abcdef', secret });
  });

  it.each([
    ['empty', ''],
    ['wrong prefix', `xsx_0123456789abcdef_${'a'.repeat(43)}`],
    ['no separator', `xsk_0123456789abcdef${'a'.repeat(43)}`],
    ['short id', `xsk_0123_${'a'.repeat(43)}`],
    ['upper-case id', `xsk_0123456789ABCDEF_${'a'.repeat(43)}`],
    ['short secret', `xsk_0123456789abcdef_${'a'.repeat(42)}`],
    ['long secret', `xsk_0123456789abcdef_${'a'.repeat(44)}`],
    ['secret with padding', `xsk_0123456789abcdef_${'a'.repeat(42)}=`],
    ['sql in id', `xsk_' or 1=1 --_${'a'.repeat(43)}`],
  ])('given a malformed key (%s), when parsed, then it is refused', (_label, key) => {
    expect(parseApiKey(key)).toBeNull();
  });
});

describe('API key hashing', () => {
  it('given a secret, when hashed, then the result is its SHA-256 in hex', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashSecret('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
  });

  it('given the stored hash, when the same secret is presented, then it matches', () => {
    const { secret, hash } = generateApiKey();
    expect(secretMatches(secret, hash)).toBe(true);
  });

  it('given the stored hash, when another secret is presented, then it does not match', () => {
    const { hash } = generateApiKey();
    expect(secretMatches(generateApiKey().secret, hash)).toBe(false);
  });

  it('given a corrupt stored hash of another length, when compared, then it does not match instead of throwing', () => {
    const { secret } = generateApiKey();
    expect(secretMatches(secret, 'abcd')).toBe(false);
  });
});
