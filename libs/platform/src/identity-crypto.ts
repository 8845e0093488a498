import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Identity numbers are matched by keyed hash and shown only from ciphertext.
 * The HMAC key and the encryption key are distinct so one leaking does not expose the other's use.
 */
export class IdentityCrypto {
  private readonly encKey: Buffer;

  constructor(private readonly hmacKey: string, encryptionKey: string) {
    this.encKey = createHash('sha256').update(encryptionKey).digest();
  }

  hash(type: string, number: string): string {
    return createHmac('sha256', this.hmacKey).update(`${type}:${normalise(number)}`).digest('hex');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  decrypt(token: string): string {
    const [version, iv, tag, body] = token.split('.');
    if (version !== 'v1' || !iv || !tag || !body) throw new Error('unsupported ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}

export function normalise(number: string): string {
  return number.replace(/[\s-]/g, '').toUpperCase();
}

export function mask(number: string): string {
  const n = normalise(number);
  if (n.length <= 7) return '*'.repeat(n.length);
  return `${n.slice(0, 3)}${'*'.repeat(n.length - 7)}${n.slice(-4)}`;
}
