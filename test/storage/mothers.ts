/** Values the storage contracts store: OCPI objects from the 2.2.1 release examples, and actor snapshots. */
import type { CDR } from '../../src/model/ocpi/cdr.ts';
import type { Session } from '../../src/model/ocpi/session.ts';
import type { Token } from '../../src/model/ocpi/token.ts';
import type { NewDelivery } from '../../src/storage/ports.ts';
import { example } from '../support/mothers/examples.ts';

export const T0 = Date.parse('2025-03-01T10:00:00Z');
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface OwnedBy {
  countryCode?: string;
  partyId?: string;
}

/** The OCPI Session a session actor renders; its token's party owns it. */
export function aSession(id: string, lastUpdatedMs = T0, owner: OwnedBy = {}): Session {
  const session = example('session_example_2_short_finished.json');
  session.id = id;
  session.last_updated = iso(lastUpdatedMs);
  session.cdr_token.country_code = owner.countryCode ?? 'NL';
  session.cdr_token.party_id = owner.partyId ?? 'TST';
  return session as Session;
}

/** The session's CDR. */
export function aCdr(id: string, sessionId: string, lastUpdatedMs = T0, owner: OwnedBy = {}): CDR {
  const cdr = example('cdr_example.json');
  cdr.id = id;
  cdr.session_id = sessionId;
  cdr.last_updated = iso(lastUpdatedMs);
  cdr.cdr_token.country_code = owner.countryCode ?? 'NL';
  cdr.cdr_token.party_id = owner.partyId ?? 'TST';
  return cdr as CDR;
}

export type SessionState = 'start' | 'reserved' | 'pending' | 'active' | 'completed';

/**
 * A session actor's persisted snapshot. The SessionStore indexes sessions by what the context carries (station,
 * transaction, OCPP EVSE, last update) and by the state (`value`): what every adapter may read from it.
 */
export function aSessionSnapshot(s: { id: string; chargePointId?: string; transactionId?: string; ocppEvseId?: number; state?: SessionState; lastUpdatedMs?: number }) {
  return {
    status: s.state === 'completed' ? 'done' : 'active',
    value: s.state ?? 'active',
    context: {
      id: s.id,
      chargePointId: s.chargePointId ?? 'CP-1',
      transactionId: s.transactionId ?? `tx-${s.id}`,
      ocppEvseId: s.ocppEvseId ?? 1,
      lastUpdated: iso(s.lastUpdatedMs ?? T0),
    },
  };
}

/** A guest session actor's persisted snapshot: the store finds it by the context's id tag. */
export function aGuestSnapshot(idTag: string, more: Record<string, unknown> = {}) {
  return { status: 'active', value: 'authorized', context: { idTag, amountCents: 2500, ...more } };
}

/** A driver token an eMSP pushed. */
export function aToken(uid: string, more: Partial<Token> = {}): Token {
  return {
    country_code: 'NL',
    party_id: 'TST',
    uid,
    type: 'RFID',
    contract_id: `NL-TST-C${uid}`,
    issuer: 'TheNewMotion',
    valid: true,
    whitelist: 'ALLOWED',
    last_updated: iso(T0),
    ...more,
  } as Token;
}

/** A push to a partner's Sessions endpoint for one object. */
export function aDelivery(channel: string, objectKey: string, more: Partial<NewDelivery> = {}): NewDelivery {
  return { channel, objectKey, method: 'PUT', module: 'sessions', path: `/NL/CPO/${objectKey}`, body: { id: objectKey, kwh: 1.5 }, ...more };
}

/** A snapshot with what JSON can carry, to check that adapters give back exactly what they were given. */
export const richSnapshot = {
  status: 'active',
  value: { connected: 'charging' },
  context: { name: 'Zoë ⚡ 充電', n: 42, ratio: 0.125, flag: false, nothing: null, list: [1, 'two', { three: [3] }], at: '2025-03-01T10:00:00Z' },
};
