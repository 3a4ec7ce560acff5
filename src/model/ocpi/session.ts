/**
 * OCPI 2.2.1 Sessions module objects (digest 5.2) plus the objects a Session shares with the CDR
 * (digest 5.3): CdrToken, AuthMethod, ChargingPeriod, CdrDimension and CdrDimensionType.
 *
 * The shared objects live here rather than in cdr.ts because a Session is the first place they appear:
 * cdr.ts imports them from this file and session.ts imports nothing from cdr.ts, so there is no cycle.
 * cdr.ts re-exports them for callers that only deal with CDRs.
 */
import { t } from 'elysia';
import type { Static } from '@sinclair/typebox';
import { ProfileType, TokenType } from './token.ts';
import { CiString, DateTime, OcpiString, PatchOf, Price, StringEnum } from './types.ts';
import * as S from './spec-examples.ts';

/**
 * `RESERVATION`, not `RESERVED`: the Sessions chapter's prose says "RESERVED" but the enum value is
 * RESERVATION (pitfall 28; RESERVED is an EVSE Status). COMPLETED and INVALID are final.
 */
export const SessionStatus = StringEnum('SessionStatus', ['ACTIVE', 'COMPLETED', 'INVALID', 'PENDING', 'RESERVATION']);
export type SessionStatus = Static<typeof SessionStatus>;

/** How the token was authorized; may change during a Session, the CDR carries the last one. */
export const AuthMethod = StringEnum('AuthMethod', ['AUTH_REQUEST', 'COMMAND', 'WHITELIST']);
export type AuthMethod = Static<typeof AuthMethod>;

/**
 * Units: ENERGY/ENERGY_EXPORT/ENERGY_IMPORT kWh (not Wh — pitfall 29), CURRENT/MAX_CURRENT/MIN_CURRENT A
 * (summed over phases), POWER/MAX_POWER/MIN_POWER kW, TIME/PARKING_TIME/RESERVATION_TIME hours,
 * STATE_OF_CHARGE percent. PARKING_TIME is time the EV is not requesting power (post-d2 erratum).
 * CURRENT, ENERGY_EXPORT, ENERGY_IMPORT, POWER and STATE_OF_CHARGE are Session-only (see cdr.ts).
 */
export const CdrDimensionType = StringEnum('CdrDimensionType', [
  'CURRENT',
  'ENERGY',
  'ENERGY_EXPORT',
  'ENERGY_IMPORT',
  'MAX_CURRENT',
  'MIN_CURRENT',
  'MAX_POWER',
  'MIN_POWER',
  'PARKING_TIME',
  'POWER',
  'RESERVATION_TIME',
  'STATE_OF_CHARGE',
  'TIME',
]);
export type CdrDimensionType = Static<typeof CdrDimensionType>;

/** `volume` may be negative for energy/current flowing from the EV to the grid. */
export const CdrDimension = t.Object(
  {
    type: CdrDimensionType,
    volume: t.Number(),
  },
  { title: 'CdrDimension', examples: [S.sessionExample2ShortFinished.charging_periods[0]!.dimensions[0]] },
);
export type CdrDimension = Static<typeof CdrDimension>;

/** A period ends when the next one starts; the last one ends at the session's end. */
export const ChargingPeriod = t.Object(
  {
    start_date_time: DateTime,
    dimensions: t.Array(CdrDimension, { minItems: 1 }),
    /** Tariff relevant during this period; absent = no tariff relevant. */
    tariff_id: t.Optional(CiString(36)),
  },
  { title: 'ChargingPeriod', examples: [S.sessionExample2ShortFinished.charging_periods[2]] },
);
export type ChargingPeriod = Static<typeof ChargingPeriod>;

/**
 * Copy of the token identity at session start — also for tokens that only arrived with a command.
 * country_code/party_id are the token owner eMSP's and mandatory since 2.2.1 (pitfall 31).
 */
export const CdrToken = t.Object(
  {
    country_code: CiString(2),
    party_id: CiString(3),
    uid: CiString(36),
    type: TokenType,
    contract_id: CiString(36),
  },
  { title: 'CdrToken', examples: [S.sessionExample1SimpleStart.cdr_token] },
);
export type CdrToken = Static<typeof CdrToken>;

export const Session = t.Object(
  {
    /** Owner CPO. */
    country_code: CiString(2),
    party_id: CiString(3),
    /** Unique in our platform; our own id, linked to the OCPP transaction. */
    id: CiString(36),
    /** Moment the session became ACTIVE (while PENDING: creation time at the charger). */
    start_date_time: DateTime,
    /** May be later than the end of charging (parking). */
    end_date_time: t.Optional(DateTime),
    /** Energy charged so far, kWh. */
    kwh: t.Number(),
    cdr_token: CdrToken,
    auth_method: AuthMethod,
    /** The value the eMSP gave (authorization, StartSession or ReserveNow); if several, the last. */
    authorization_reference: t.Optional(CiString(36)),
    location_id: CiString(36),
    /** `#NA` while a reservation has no EVSE assigned. */
    evse_uid: CiString(36),
    /** `#NA` likewise. */
    connector_id: CiString(36),
    meter_id: t.Optional(OcpiString(255)),
    /** ISO 4217 */
    currency: OcpiString(3),
    /** PUT replaces the stored list (absent/empty deletes it); a PATCH appends (pitfall 9). */
    charging_periods: t.Optional(t.Array(ChargingPeriod)),
    /** What the eMSP pays so far; absent does not mean free. */
    total_cost: t.Optional(Price),
    status: SessionStatus,
    last_updated: DateTime,
  },
  { title: 'Session', examples: [S.sessionExample1SimpleStart, S.sessionExample2ShortFinished] },
);
export type Session = Static<typeof Session>;

/** PATCH on the eMSP's `{sessions}/{cc}/{pid}/{session_id}`; `charging_periods` in it are appended. */
export const SessionPatch = PatchOf(Session, 'SessionPatch');
export type SessionPatch = Static<typeof SessionPatch>;

/** Body of `PUT {sessions}/{session_id}/charging_preferences`. */
export const ChargingPreferences = t.Object(
  {
    /** Must be supported at the connector; a Tariff must exist per supported profile type. */
    profile_type: ProfileType,
    departure_time: t.Optional(DateTime),
    /** kWh the driver wants. */
    energy_need: t.Optional(t.Number()),
    /** V2G allowed; default false. */
    discharge_allowed: t.Optional(t.Boolean()),
  },
  { title: 'ChargingPreferences', examples: [{ profile_type: 'FAST', departure_time: '2020-03-09T18:00:00Z', energy_need: 32.5, discharge_allowed: false }] },
);
export type ChargingPreferences = Static<typeof ChargingPreferences>;

/** `data` of the answer to the charging preferences PUT (a bare enum string). */
export const ChargingPreferencesResponse = StringEnum('ChargingPreferencesResponse', [
  'ACCEPTED',
  'DEPARTURE_REQUIRED',
  'ENERGY_NEED_REQUIRED',
  'NOT_POSSIBLE',
  'PROFILE_TYPE_NOT_SUPPORTED',
]);
export type ChargingPreferencesResponse = Static<typeof ChargingPreferencesResponse>;
