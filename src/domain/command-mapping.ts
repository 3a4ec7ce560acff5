import { createHash } from 'node:crypto';
import type { CommandResult } from '../model/ocpi/commands.ts';
import type { TokenType } from '../model/ocpi/token.ts';

type ResultType = CommandResult['result'];

/**
 * The id tag a 1.6 station gets for an OCPI token: the uid itself when it fits the 20 characters of an idTag,
 * else a stable stand-in derived from it — never a silent truncation that could collide (ocpp-notes §3.1).
 */
export function ocpp16IdTag(uid: string): string {
  if (uid.length <= 20) return uid;
  return `H${createHash('sha256').update(uid.toUpperCase()).digest('base64url').slice(0, 19)}`;
}

/** OCPI TokenType → OCPP 2.0.1 IdTokenEnumType. */
export function ocpp201IdTokenType(type: TokenType): string {
  if (type === 'RFID') return 'ISO14443';
  if (type === 'OTHER') return 'Local';
  return 'Central';
}

/**
 * A station's answer to our CALL → the OCPI CommandResult (ocpp-notes §3.1). Both versions share the status
 * names that matter; anything unexpected is a failure, not a success.
 */
const RESULTS: Record<string, Record<string, ResultType>> = {
  start: { Accepted: 'ACCEPTED', Rejected: 'REJECTED' },
  stop: { Accepted: 'ACCEPTED', Rejected: 'REJECTED' },
  reserve: { Accepted: 'ACCEPTED', Occupied: 'EVSE_OCCUPIED', Faulted: 'EVSE_INOPERATIVE', Unavailable: 'EVSE_INOPERATIVE', Rejected: 'REJECTED' },
  cancel: { Accepted: 'ACCEPTED', Rejected: 'UNKNOWN_RESERVATION' },
  unlock: { Unlocked: 'ACCEPTED', UnlockFailed: 'FAILED', NotSupported: 'NOT_SUPPORTED', UnknownConnector: 'NOT_SUPPORTED', OngoingAuthorizedTransaction: 'REJECTED' },
};

export type CommandKind = keyof typeof RESULTS;

export function commandResultOf(kind: CommandKind, answer: unknown): ResultType {
  const status = (answer as { status?: unknown } | null)?.status;
  return (typeof status === 'string' && RESULTS[kind]![status]) || 'FAILED';
}
