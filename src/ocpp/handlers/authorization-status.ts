import type { TokenType } from '../../model/ocpi/token.ts';
import type { Decision } from '../../domain/authorization.ts';

/** Authorization decision → OCPP 1.6 idTagInfo.status (ocpp-notes §3.2: 1.6 has no NoCredit/NotAllowed). */
export const idTagStatus: Record<Decision, string> = {
  ALLOWED: 'Accepted',
  BLOCKED: 'Blocked',
  EXPIRED: 'Expired',
  NO_CREDIT: 'Invalid',
  NOT_ALLOWED: 'Invalid',
  UNKNOWN: 'Invalid',
};

/** Authorization decision → OCPP 2.0.1 idTokenInfo.status. */
export const idTokenStatus: Record<Decision, string> = {
  ALLOWED: 'Accepted',
  BLOCKED: 'Blocked',
  EXPIRED: 'Expired',
  NO_CREDIT: 'NoCredit',
  NOT_ALLOWED: 'NotAtThisLocation',
  UNKNOWN: 'Unknown',
};

/** 2.0.1 IdTokenEnumType → OCPI TokenType: cards are RFID; central/app ids are APP_USER (ocpp-notes §3.2). */
export function tokenTypeOf(type: string): TokenType {
  if (type === 'Central' || type === 'eMAID') return 'APP_USER';
  return type === 'Local' ? 'OTHER' : 'RFID';
}
