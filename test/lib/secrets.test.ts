import { describe, expect, test } from 'bun:test';
import { createSecrets, generateSecret } from '../../src/lib/secrets.ts';

const KEY_1 = 'first-secret-key-0123456789abcdef0123456789';
const KEY_2 = 'second-secret-key-0123456789abcdef012345678';

/** Flips one bit of one byte inside a base64url part of the sealed string (decoded, changed, re-encoded). */
function tamper(sealed: string, part: 1 | 2 | 3): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('hashing secrets we verify (tokens we issue, API keys, station passwords)', () => {
  test('is deterministic per SECRET_KEY, also across instances (e.g. after a restart)', () => {
    const a = createSecrets(KEY_1);
    const b = createSecrets(KEY_1);
    expect(a.hash('station-password-123')).toBe(a.hash('station-password-123'));
    expect(b.hash('station-password-123')).toBe(a.hash('station-password-123'));
  });

  test('differs across SECRET_KEYs and across secrets, and does not contain the secret', () => {
    const a = createSecrets(KEY_1);
    const b = createSecrets(KEY_2);
    const secret = 'station-password-123';
    expect(b.hash(secret)).not.toBe(a.hash(secret));
    expect(a.hash('station-password-124')).not.toBe(a.hash(secret));
    expect(a.hash(secret)).not.toContain(secret);
    expect(a.hash(secret)).not.toContain(Buffer.from(secret).toString('base64'));
  });

  test('matches() is true only for the right secret under the right key', () => {
    const a = createSecrets(KEY_1);
    const b = createSecrets(KEY_2);
    const stored = a.hash('the-right-secret-0001');
    expect(a.matches('the-right-secret-0001', stored)).toBe(true);
    expect(a.matches('the-right-secret-0002', stored)).toBe(false);
    expect(a.matches('THE-RIGHT-SECRET-0001', stored)).toBe(false);
    expect(a.matches('', stored)).toBe(false);
    expect(b.matches('the-right-secret-0001', stored)).toBe(false);
    // A stored value of another length or the secret itself never matches.
    expect(a.matches('the-right-secret-0001', 'short')).toBe(false);
    expect(a.matches('the-right-secret-0001', 'the-right-secret-0001')).toBe(false);
  });
});

describe('encrypting secrets we must present (partner tokens)', () => {
  test('encrypt → decrypt round-trips, also with another instance on the same SECRET_KEY', () => {
    const a = createSecrets(KEY_1);
    for (const plain of ['emsp-c-0f6c3a7e', 'x', '', 'päßwörd ✓ with spaces', 'A'.repeat(500)]) {
      expect(a.decrypt(a.encrypt(plain))).toBe(plain);
      expect(createSecrets(KEY_1).decrypt(a.encrypt(plain))).toBe(plain);
    }
  });

  test('the ciphertext never contains the plaintext, and encrypting twice gives different ciphertexts', () => {
    const a = createSecrets(KEY_1);
    const plain = 'partner-token-that-must-not-leak';
    const one = a.encrypt(plain);
    const two = a.encrypt(plain);
    expect(one).not.toBe(two);
    for (const sealed of [one, two]) {
      expect(sealed).not.toContain(plain);
      expect(sealed).not.toContain(Buffer.from(plain).toString('base64url').slice(0, 16));
      expect(sealed).not.toContain(Buffer.from(plain).toString('base64').slice(0, 16));
    }
  });

  test('tampered ciphertext (body, tag or iv) throws instead of returning something', () => {
    const a = createSecrets(KEY_1);
    const sealed = a.encrypt('partner-token-0001');
    for (const part of [1, 2, 3] as const) expect(() => a.decrypt(tamper(sealed, part))).toThrow();
    expect(() => a.decrypt('not a sealed value')).toThrow();
    expect(() => a.decrypt(sealed.replace(/^v1\./, 'v2.'))).toThrow();
    expect(() => a.decrypt(sealed.split('.').slice(0, 3).join('.'))).toThrow();
  });

  test('another SECRET_KEY cannot decrypt', () => {
    const sealed = createSecrets(KEY_1).encrypt('partner-token-0001');
    expect(() => createSecrets(KEY_2).decrypt(sealed)).toThrow();
  });
});

describe('generateSecret', () => {
  test('gives distinct printable, non-whitespace ASCII secrets within the OCPI token length', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => generateSecret()));
    expect(secrets.size).toBe(50);
    for (const s of secrets) {
      expect(s).toMatch(/^[\x21-\x7e]+$/);
      expect(s.length).toBeGreaterThanOrEqual(32);
      expect(s.length).toBeLessThanOrEqual(64);
    }
  });
});
