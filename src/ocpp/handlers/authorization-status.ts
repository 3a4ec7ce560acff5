import type { TokenType } from '../../model/ocpi/token.ts';

/** Local whitelist decision → OCPP answer (ocpp-notes §3.2); real-time authorization is not available here yet. */
export const idTagStatus = { ALLOWED: 'Accepted', BLOCKED: 'Blocked', UNKNOWN: 'Invalid', NEEDS_REAL_TIME: 'Invalid' } as const;
export const idTokenStatus = { ALLOWED: 'Accepted', BLOCKED: 'Blocked', UNKNOWN: 'Unknown', NEEDS_REAL_TIME: 'Invalid' } as const;

/** 2.0.1 IdTokenEnumType → OCPI TokenType: cards are RFID; central/app ids are APP_USER (ocpp-notes §3.2). */
export function tokenTypeOf(type: string): TokenType {
  if (type === 'Central' || type === 'eMAID') return 'APP_USER';
  return type === 'Local' ? 'OTHER' : 'RFID';
}
