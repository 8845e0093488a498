import { identityHash, maskIdentityNumber } from '@lib/contracts';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Identity numbers are shown only from ciphertext (matching and routing use the keyed
 * hash in @lib/contracts). The encryption key is distinct from the HMAC key so one
 * leaking does not expose the other's use.
 */
export class IdentityCrypto {
  private readonly encKey: Buffer;

  constructor(private readonly hmacKey: string, encryptionKey: string) {
    this.encKey = createHash('sha256').update(encryptionKey).digest();
  }

  hash(type: Parameters<typeof identityHash>[1], number: string): string {
    return identityHash(this.hmacKey, type, number);
  }

  mask(number: string): string {
    return maskIdentityNumber(number);
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

