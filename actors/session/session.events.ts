import type { Reading } from '../../src/domain/cdr/meter-history.ts';
import type { SessionPlace } from '../../src/domain/cdr/session-view.ts';
import type { AuthMethod, CdrToken } from '../../src/model/ocpi/session.ts';
import type { OcppVersion } from '../../src/model/ocpp-version.ts';

/** A meter reading as a station reported it (the OCPP handlers normalise both versions to it). */
export type { Reading };

export interface SessionInput {
  id: string;
  countryCode: string;
  partyId: string;
  chargePointId: string;
  protocol: OcppVersion;
  transactionId: string;
  ocppEvseId: number;
  startAt: string;
  meterStartKwh: string;
  /** False when the station gave no start register: the first register reading becomes the baseline. */
  meterStartKnown: boolean;
  token?: CdrToken;
  authMethod: AuthMethod;
  authorizationReference?: string;
  place?: SessionPlace;
  /** A reservation's session (OCPI status RESERVATION): no transaction yet, until the reserved driver starts. */
  reservationOnly?: boolean;
}

/** What happens to a charging session, the same for both OCPP versions. */
export type SessionEvent =
  | {
      type: 'TRANSACTION_STARTED';
      transactionId: string;
      at: string;
      meterStartKwh: string;
      meterStartKnown: boolean;
      token?: CdrToken;
      authMethod: AuthMethod;
      authorizationReference?: string;
    }
  | { type: 'RESERVATION_ENDED'; at: string; reason: string }
  | { type: 'AUTHORIZED'; at: string; token: CdrToken; authMethod: AuthMethod; authorizationReference?: string }
  | { type: 'METER'; readings: Reading[] }
  | { type: 'CHARGING_STATE'; at: string; charging: boolean }
  | { type: 'STOPPED'; at: string; meterStopKwh?: string; reason?: string };
