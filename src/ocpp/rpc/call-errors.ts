import type { OcppVersion } from '../../model/ocpp-version.ts';

/**
 * CALLERROR codes differ in spelling between versions (ocpp-notes §1.2): on 1.6 we send the OCPP-J 1.6 errata
 * spellings that peers such as ocpp-rpc send and expect; 2.0.1 has its own names and two extra codes.
 */
export type CallErrorKind =
  | 'NotImplemented'
  | 'NotSupported'
  | 'InternalError'
  | 'ProtocolError'
  | 'SecurityError'
  | 'Format'
  | 'PropertyConstraintViolation'
  | 'Occurrence'
  | 'TypeConstraintViolation'
  | 'GenericError'
  | 'MessageTypeNotSupported'
  | 'RpcFrameworkError';

export function callErrorCode(version: OcppVersion, kind: CallErrorKind): string {
  if (kind === 'Format') return version === 'ocpp1.6' ? 'FormationViolation' : 'FormatViolation';
  if (kind === 'Occurrence') return 'OccurrenceConstraintViolation';
  // 1.6 knows neither: the closest it has is a formation problem.
  if (version === 'ocpp1.6' && (kind === 'MessageTypeNotSupported' || kind === 'RpcFrameworkError')) return 'FormationViolation';
  return kind;
}

export class CallError extends Error {
  constructor(
    readonly kind: CallErrorKind,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
