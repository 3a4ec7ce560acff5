/** The simulated eMSP's drivers: a reproducible mix for any count, uids unique and fit for an OCPP 1.6 idTag. */
import { expect, test } from 'bun:test';
import { createDriverTokens, findToken } from '../../../src/sim/emsp/driver-tokens.ts';
import { createRandom } from '../../../src/sim/random.ts';

const make = (count: number, seed = 3) => createDriverTokens({ countryCode: 'NL', partyId: 'SIM', issuer: 'Sim', count, random: createRandom(seed), now: new Date('2030-01-01T00:00:00Z') });

test.each([0, 1, 2, 3, 20, 200])('%i tokens: the count asked for, unique uids, app users whenever there are two or more', (count) => {
  const tokens = make(count);
  expect(tokens).toHaveLength(count);
  expect(new Set(tokens.map((t) => t.uid)).size).toBe(count);
  if (count >= 2) expect(tokens.some((t) => t.type === 'APP_USER')).toBe(true);
  for (const token of tokens) {
    expect(token.contract_id.length).toBeLessThanOrEqual(36);
    if (token.type === 'RFID') expect(token.uid).toMatch(/^[0-9A-F]{8}([0-9A-F]{6})?$/);
    else expect(token).toMatchObject({ whitelist: 'NEVER', valid: true });
  }
});

test('blocked cards among twenty, the same ones for the same seed, and lookups ignore case but not type', () => {
  const tokens = make(20);
  expect(tokens.filter((t) => !t.valid).length).toBeGreaterThanOrEqual(1);
  expect(tokens.filter((t) => !t.valid).every((t) => t.type === 'RFID')).toBe(true);
  expect(make(20)).toEqual(tokens);
  expect(make(20, 4).map((t) => t.uid)).not.toEqual(tokens.map((t) => t.uid));
  const card = tokens[0]!;
  expect(findToken(tokens, card.uid.toLowerCase(), 'RFID')).toEqual(card);
  expect(findToken(tokens, card.uid, 'APP_USER')).toBeUndefined();
});
