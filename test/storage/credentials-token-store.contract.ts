/**
 * CredentialsTokenStore: the tokens we issued to partners (A for registration, C for everything after), kept as
 * keyed hashes. The OCPI token-auth plugin looks a presented token up by its candidate hashes (a header may match
 * raw or base64-decoded); a registration or unregistration revokes a partner's old tokens.
 */
import { describe, expect, test } from 'bun:test';
import type { CredentialsTokenStore, SnapshotCollection } from '../../src/storage/ports.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { T0 } from './mothers.ts';

/** Tokens belong to a partner connection, which exists once its actor's first snapshot is saved. */
export interface CredentialsTokensUnderTest extends AdapterUnderTest<CredentialsTokenStore> {
  partners: SnapshotCollection;
}

const now = new Date(T0);
const minutes = (n: number) => new Date(T0 + n * 60_000);

export function describeCredentialsTokenStoreContract(name: string, makeAdapter: () => CredentialsTokensUnderTest) {
  describe(`CredentialsTokenStore contract: ${name}`, () => {
    const fixture = freshPerTest(() => {
      const f = makeAdapter();
      for (const id of ['emsp-1', 'emsp-2']) f.partners.save(id, 1, { value: 'registered' }, now);
      return f;
    });
    const tokens = () => fixture().adapter;

    test('an issued token is found by its hash, with its partner and kind', () => {
      tokens().issue('emsp-1', 'A', 'hash-a', now);
      tokens().issue('emsp-1', 'C', 'hash-c', now);
      expect(tokens().findActive(['hash-a'], now)).toEqual({ tokenHash: 'hash-a', partnerId: 'emsp-1', kind: 'A' });
      expect(tokens().findActive(['hash-c'], now)).toEqual({ tokenHash: 'hash-c', partnerId: 'emsp-1', kind: 'C' });
    });

    test('a token is found among several candidate hashes; unknown hashes and no hashes find nothing', () => {
      tokens().issue('emsp-2', 'C', 'hash-decoded', now);
      expect(tokens().findActive(['hash-raw', 'hash-decoded'], now)?.partnerId).toBe('emsp-2');
      expect(tokens().findActive(['hash-raw'], now)).toBeUndefined();
      expect(tokens().findActive([], now)).toBeUndefined();
    });

    test('a token with an expiry is active before it and not from it on; one without never expires', () => {
      tokens().issue('emsp-1', 'A', 'hash-a', now, minutes(10));
      tokens().issue('emsp-1', 'C', 'hash-c', now);
      expect(tokens().findActive(['hash-a'], minutes(9))?.tokenHash).toBe('hash-a');
      expect(tokens().findActive(['hash-a'], minutes(10))).toBeUndefined();
      expect(tokens().findActive(['hash-a'], minutes(11))).toBeUndefined();
      expect(tokens().findActive(['hash-c'], minutes(60 * 24 * 365))?.tokenHash).toBe('hash-c');
    });

    test('a revoked token is no longer found; the other tokens stay', () => {
      tokens().issue('emsp-1', 'A', 'hash-a', now);
      tokens().issue('emsp-1', 'C', 'hash-c', now);
      tokens().revoke('hash-a', minutes(1));
      expect(tokens().findActive(['hash-a'], minutes(2))).toBeUndefined();
      expect(tokens().findActive(['hash-a', 'hash-c'], minutes(2))?.tokenHash).toBe('hash-c');
    });

    test("revokeAll revokes every token of the partner and no one else's", () => {
      tokens().issue('emsp-1', 'A', 'hash-1a', now);
      tokens().issue('emsp-1', 'C', 'hash-1c', now, minutes(60));
      tokens().issue('emsp-2', 'C', 'hash-2c', now);
      tokens().revokeAll('emsp-1', minutes(1));
      expect(tokens().findActive(['hash-1a', 'hash-1c'], minutes(2))).toBeUndefined();
      expect(tokens().findActive(['hash-2c'], minutes(2))?.partnerId).toBe('emsp-2');
    });

    test('tokens issued after a revokeAll are active', () => {
      tokens().issue('emsp-1', 'A', 'hash-old', now);
      tokens().revokeAll('emsp-1', minutes(1));
      tokens().issue('emsp-1', 'C', 'hash-new', minutes(2));
      expect(tokens().findActive(['hash-old', 'hash-new'], minutes(3))).toEqual({ tokenHash: 'hash-new', partnerId: 'emsp-1', kind: 'C' });
    });

    test('revoking twice, or a token never issued, is harmless', () => {
      tokens().issue('emsp-1', 'C', 'hash-c', now);
      tokens().revoke('hash-c', minutes(1));
      tokens().revoke('hash-c', minutes(2));
      tokens().revoke('never-issued', minutes(2));
      tokens().revokeAll('emsp-2', minutes(2));
      expect(tokens().findActive(['hash-c'], minutes(3))).toBeUndefined();
    });
  });
}
