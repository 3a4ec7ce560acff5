/**
 * DriverTokenCache: the eMSPs' driver tokens we keep for authorization (pushed to our Tokens receiver, pulled, or
 * learnt from real-time authorization). A token's identity is country_code + party_id + uid + type (OCPI 2.2.1
 * Tokens; all but type compared case-insensitively); an unregistered partner's tokens go with it.
 */
import { describe, expect, test } from 'bun:test';
import type { DriverTokenCache, SnapshotCollection } from '../../src/storage/ports.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { aToken, iso, T0 } from './mothers.ts';

/** Tokens belong to a partner connection, which exists once its actor's first snapshot is saved. */
export interface DriverTokensUnderTest extends AdapterUnderTest<DriverTokenCache> {
  partners: SnapshotCollection;
}

export function describeDriverTokenCacheContract(name: string, makeAdapter: () => DriverTokensUnderTest) {
  describe(`DriverTokenCache contract: ${name}`, () => {
    const fixture = freshPerTest(() => {
      const f = makeAdapter();
      for (const id of ['emsp-1', 'emsp-2']) f.partners.save(id, 1, { value: 'registered' }, new Date(T0));
      return f;
    });
    const cache = () => fixture().adapter;

    test('the first put of a token creates it; putting it again updates it', () => {
      expect(cache().put('emsp-1', aToken('TAG-1'))).toEqual({ created: true });
      expect(cache().put('emsp-1', aToken('TAG-1', { valid: false, last_updated: iso(T0 + 60_000) }))).toEqual({ created: false });
    });

    test('country_code, party_id and uid are compared without letter case', () => {
      cache().put('emsp-1', aToken('tag-1a', { country_code: 'nl', party_id: 'tst' }));
      expect(cache().put('emsp-1', aToken('TAG-1A', { country_code: 'NL', party_id: 'TST' }))).toEqual({ created: false });
    });

    test('a different type, uid, party or country is a different token', () => {
      cache().put('emsp-1', aToken('TAG-1'));
      for (const other of [aToken('TAG-1', { type: 'APP_USER' }), aToken('TAG-2'), aToken('TAG-1', { party_id: 'ABC' }), aToken('TAG-1', { country_code: 'DE' })])
        expect(cache().put('emsp-1', other)).toEqual({ created: true });
    });

    test("deleteForPartner forgets the partner's tokens and keeps the others'", () => {
      cache().put('emsp-1', aToken('TAG-1'));
      cache().put('emsp-1', aToken('TAG-2'));
      cache().put('emsp-2', aToken('TAG-3', { party_id: 'ABC' }));
      cache().deleteForPartner('emsp-1');
      expect(cache().put('emsp-1', aToken('TAG-1'))).toEqual({ created: true });
      expect(cache().put('emsp-1', aToken('TAG-2'))).toEqual({ created: true });
      expect(cache().put('emsp-2', aToken('TAG-3', { party_id: 'ABC' }))).toEqual({ created: false });
    });

    test('a token is held by the connection that brought it, found by its identity in any letter case', () => {
      cache().put('emsp-2', aToken('tag-h', { party_id: 'abc' }));
      expect(cache().holderOf({ country_code: 'NL', party_id: 'ABC', uid: 'TAG-H', type: 'RFID' })).toBe('emsp-2');
      expect(cache().holderOf({ country_code: 'NL', party_id: 'ABC', uid: 'TAG-H', type: 'APP_USER' })).toBeUndefined();
    });

    test('adopt keeps a token for a connection only while no connection holds it', () => {
      expect(cache().adopt('emsp-1', aToken('TAG-A'))).toBe('emsp-1');
      expect(cache().adopt('emsp-2', aToken('TAG-A', { valid: false }))).toBe('emsp-1');
      expect(cache().holderOf(aToken('TAG-A'))).toBe('emsp-1');
    });

    test('deleting the tokens of a partner that has none is harmless', () => {
      cache().deleteForPartner('emsp-2');
      expect(cache().put('emsp-2', aToken('TAG-1'))).toEqual({ created: true });
    });
  });
}
