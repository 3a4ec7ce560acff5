/**
 * Real-time authorization (OCPI 2.2.1 tokens, `POST {tokens}/{uid}/authorize`): the CPO asks us about a token
 * whose whitelist says so (NEVER, ALLOWED_OFFLINE) or that it does not know. We answer from our own list: a
 * valid token is ALLOWED, an invalid one BLOCKED, an unknown one 2004. The reference we give goes onto the
 * Session and CDR, which is how an eMSP ties a charge to the authorization it granted.
 */
import type { AuthorizationInfo, LocationReferences, Token, TokenType } from '../../model/ocpi/token.ts';
import { OcpiStatus, problems } from './envelope.ts';
import { findToken } from './driver-tokens.ts';
import { isObject } from './validate.ts';

const TOKEN_TYPES: readonly TokenType[] = ['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID'];

/** `?type=` defaults to RFID (OCPI 2.2.1 tokens). */
export function tokenTypeOf(query: URLSearchParams): TokenType {
  const raw = query.get('type');
  if (raw === null || raw === '') return 'RFID';
  const type = TOKEN_TYPES.find((t) => t === raw);
  if (!type) throw problems.invalid(`type must be one of ${TOKEN_TYPES.join(', ')}`);
  return type;
}

/** The optional LocationReferences body: where the driver stands. */
export function locationReferencesOf(body: unknown): LocationReferences | undefined {
  if (body === undefined || body === null) return undefined;
  if (!isObject(body) || typeof body.location_id !== 'string') throw problems.invalid('LocationReferences: location_id is required');
  if (body.evse_uids !== undefined && (!Array.isArray(body.evse_uids) || body.evse_uids.some((u) => typeof u !== 'string')))
    throw problems.invalid('LocationReferences: evse_uids must be a list of strings');
  return body as LocationReferences;
}

export function authorize(tokens: readonly Token[], uid: string, type: TokenType, where: LocationReferences | undefined, reference: string): AuthorizationInfo {
  const token = findToken(tokens, uid, type);
  if (!token) throw problems.notFound(`Unknown token ${uid} (${type})`, OcpiStatus.unknownToken);
  return {
    allowed: token.valid ? 'ALLOWED' : 'BLOCKED',
    token,
    // The driver may use every EVSE asked about: we do not judge EVSE status or opening hours (our copy may be stale).
    ...(where ? { location: where } : {}),
    authorization_reference: reference,
    ...(token.valid ? {} : { info: { language: 'en', text: 'This card has been blocked. Please contact us.' } }),
  };
}
