import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secrets we verify (tokens we issue, API keys, station passwords) are kept as HMAC-SHA256 keyed with a key
 * derived from SECRET_KEY: as strong as a slow hash for high-entropy machine secrets, and fast enough for a
 * reconnect storm. Secrets we must present (partner tokens) are encrypted with AES-256-GCM.
 */
export interface Secrets {
  hash(secret: string): string;
  matches(secret: string, storedHash: string): boolean;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export function createSecrets(secretKey: string): Secrets {
  const hashKey = createHmac('sha256', secretKey).update('dynamo:hash').digest();
  const encKey = createHmac('sha256', secretKey).update('dynamo:encrypt').digest();
  const hash = (secret: string) => createHmac('sha256', hashKey).update(secret, 'utf8').digest('base64url');
  return {
    hash,
    matches(secret, storedHash) {
      const a = Buffer.from(hash(secret));
      const b = Buffer.from(storedHash);
      return a.length === b.length && timingSafeEqual(a, b);
    },
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unrecognised sealed secret format');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** A fresh high-entropy secret of printable, non-whitespace ASCII (fits OCPI's token rules: ≤ 64 chars). */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
