/**
 * The simulated eMSP's driver tokens (OCPI 2.2.1 Token): RFID cards and app users of its own party. The mix is
 * chosen to exercise every path of the CPO's authorization: whitelisted cards decided from its cache
 * (ALWAYS), cards it asks us about in real time but may fall back on (ALLOWED_OFFLINE), a few blocked cards
 * (valid=false) and app users it must always ask about (NEVER). Drawn from the seeded random, so a seed
 * gives the same drivers every run.
 */
import { ocpiDateTime } from '../../lib/clock.ts';
import type { Token, TokenType } from '../../model/ocpi/token.ts';
import type { Random } from '../random.ts';

export interface DriverTokenOptions {
  countryCode: string;
  partyId: string;
  issuer: string;
  count: number;
  random: Random;
  now: Date;
}

/** Share of RFID cards; the rest are app users. */
const RFID_SHARE = 0.6;
/** Share of RFID cards that are blocked (lost or stolen), at least one when there are three or more cards. */
const BLOCKED_SHARE = 0.15;

export function createDriverTokens(options: DriverTokenOptions): Token[] {
  const { count, random } = options;
  const rfidCount = count <= 1 ? count : Math.min(count - 1, Math.ceil(count * RFID_SHARE));
  const blocked = pickIndexes(rfidCount, rfidCount >= 3 ? Math.max(1, Math.round(rfidCount * BLOCKED_SHARE)) : 0, random);
  const used = new Set<string>();
  const unique = (make: () => string) => {
    for (;;) {
      const uid = make();
      if (!used.has(uid)) {
        used.add(uid);
        return uid;
      }
    }
  };
  const tokens: Token[] = [];
  for (let i = 0; i < rfidCount; i++) {
    // A card's UID as its reader reports it: 4 or 7 bytes in hex, within OCPP 1.6's 20-character idTag.
    const uid = unique(() => hex(random, random.chance(0.5) ? 8 : 14));
    tokens.push(token(options, uid, 'RFID', !blocked.has(i), random.chance(0.7) ? 'ALWAYS' : 'ALLOWED_OFFLINE', tokens.length));
  }
  for (let i = rfidCount; i < count; i++) {
    // App users have no card: the eMSP makes the uid up, and the CPO never whitelists them.
    const uid = unique(() => `APP-${hex(random, 12)}`);
    tokens.push(token(options, uid, 'APP_USER', true, 'NEVER', tokens.length));
  }
  return tokens;
}

/** Token uids compare case-insensitively (CiString); the type is part of the key. */
export function findToken(tokens: readonly Token[], uid: string, type: TokenType): Token | undefined {
  const wanted = uid.toUpperCase();
  return tokens.find((t) => t.type === type && t.uid.toUpperCase() === wanted);
}

function token(options: DriverTokenOptions, uid: string, type: TokenType, valid: boolean, whitelist: Token['whitelist'], n: number): Token {
  const { countryCode, partyId, issuer, random, now } = options;
  // eMA-ID without check digit: country, provider, 9-character instance (ISO 15118 / eMI3).
  const contractId = `${countryCode}-${partyId}-C${String(n + 1).padStart(8, '0')}`;
  return {
    country_code: countryCode,
    party_id: partyId,
    uid,
    type,
    contract_id: contractId,
    ...(type === 'RFID' ? { visual_number: `${countryCode}-${partyId}-${String(random.int(100000, 999999))}-${random.int(0, 9)}` } : {}),
    issuer,
    valid,
    whitelist,
    language: random.pick(['en', 'nl', 'de', 'fr']),
    last_updated: ocpiDateTime(now),
  };
}

function hex(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789ABCDEF'[random.int(0, 15)];
  return out;
}

function pickIndexes(size: number, howMany: number, random: Random): Set<number> {
  const picked = new Set<number>();
  while (picked.size < Math.min(howMany, size)) picked.add(random.int(0, size - 1));
  return picked;
}
