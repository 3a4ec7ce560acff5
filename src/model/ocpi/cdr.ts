import { Type } from '@sinclair/typebox';
/**
 * OCPI 2.2.1 CDRs module objects (digest 5.3). CdrToken, AuthMethod, ChargingPeriod and CdrDimension are
 * shared with the Session and defined in session.ts (re-exported here); the CDR's `tariffs` are full Tariff
 * objects from tariff.ts. A CDR is immutable once sent: corrections are a credit CDR plus a new CDR (7.3).
 */
import { t } from 'elysia';
import type { Static } from '@sinclair/typebox';
import { ConnectorFormat, ConnectorType, PowerType } from './connector.ts';
import { AuthMethod, CdrToken, ChargingPeriod } from './session.ts';
import { Tariff } from './tariff.ts';
import { CiString, DateTime, GeoLocation, OcpiString, Price, StringEnum } from './types.ts';
import * as S from './spec-examples.ts';

export { AuthMethod, CdrDimension, CdrDimensionType, CdrToken, ChargingPeriod } from './session.ts';

/** CdrDimensionTypes marked "S" in the spec: Session only, they must not be used in CDRs. */
export const SESSION_ONLY_DIMENSION_TYPES = ['CURRENT', 'ENERGY_EXPORT', 'ENERGY_IMPORT', 'POWER', 'STATE_OF_CHARGE'] as const;

/** The CdrDimensionType values a CDR may carry (the enum minus the Session-only ones). */
export const CdrPeriodDimensionType = StringEnum('CdrDimensionType (CDR subset)', [
  'ENERGY',
  'MAX_CURRENT',
  'MIN_CURRENT',
  'MAX_POWER',
  'MIN_POWER',
  'PARKING_TIME',
  'RESERVATION_TIME',
  'TIME',
]);
export type CdrPeriodDimensionType = Static<typeof CdrPeriodDimensionType>;

/** A CdrDimension as it may appear in a CDR: same shape, Session-only types rejected. */
export const CdrPeriodDimension = t.Object(
  {
    type: CdrPeriodDimensionType,
    volume: t.Number(),
  },
  { title: 'CdrPeriodDimension', examples: [S.cdrExample.charging_periods[0]!.dimensions[0]] },
);
export type CdrPeriodDimension = Static<typeof CdrPeriodDimension>;

/**
 * The ChargingPeriod of a CDR: a ChargingPeriod whose dimensions exclude the Session-only types, so a
 * Session's periods (which may carry POWER, STATE_OF_CHARGE…) must be filtered before going into a CDR.
 * Every CdrChargingPeriod is a valid ChargingPeriod.
 */
export const CdrChargingPeriod = t.Object(
  {
    ...ChargingPeriod.properties,
    dimensions: t.Array(CdrPeriodDimension, { minItems: 1 }),
  },
  { title: 'CdrChargingPeriod', examples: [S.cdrExample.charging_periods[0]] },
);
export type CdrChargingPeriod = Static<typeof CdrChargingPeriod>;

/**
 * Snapshot of the Location/EVSE/Connector as at session start. Lengths are the spec's: address 45 and
 * state 20 (the post-d2 erratum widened only Location.address/state) — a CDR builder copying a longer
 * Location.address must shorten it (pitfall 21). For a reservation-only CDR the EVSE/connector ids may be
 * `#NA` and the connector enums any value.
 */
export const CdrLocation = t.Object(
  {
    /** Location.id */
    id: CiString(36),
    name: t.Optional(OcpiString(255)),
    address: OcpiString(45),
    city: OcpiString(45),
    postal_code: t.Optional(OcpiString(10)),
    state: t.Optional(OcpiString(20)),
    /** ISO 3166-1 alpha-3 */
    country: OcpiString(3),
    coordinates: GeoLocation,
    evse_uid: CiString(36),
    /** eMI3 EVSE ID */
    evse_id: CiString(48),
    connector_id: CiString(36),
    connector_standard: ConnectorType,
    connector_format: ConnectorFormat,
    connector_power_type: PowerType,
  },
  { title: 'CdrLocation', examples: [S.cdrExample.cdr_location] },
);
export type CdrLocation = Static<typeof CdrLocation>;

/** `nature`: `Start`, `End`, `Intermediate` (others may follow). */
export const SignedValue = t.Object(
  {
    nature: CiString(32),
    /** Un-encoded string, e.g. the OCMF payload; string(5000) per post-d2 erratum (d2 said 512). */
    plain_data: OcpiString(5000),
    /** Base64 */
    signed_data: OcpiString(5000),
  },
  { title: 'SignedValue', examples: [{ nature: 'Start', plain_data: 'OCMF|{"FV":"1.0","RD":[{"TM":"2015-06-29T21:39:09,000+0000 S","RV":0.0,"RU":"kWh"}]}', signed_data: 'MEUCIQDd9Y1ZxP5ULhWqX3uN6WcE2z3v4rD1fUa7H0Qn4bUu7AIgG0o0fqJwzD8y8n6dH0P1sW8sB5b7zJ3r8dQ3m2Z0v0Y=' }] },
);
export type SignedValue = Static<typeof SignedValue>;

/** Calibration-law (Eichrecht) data. */
export const SignedData = t.Object(
  {
    /** e.g. `OCMF`, `Alfen Eichrecht`, `EDL40 E-Mobility Extension`, `EDL40 Mennekes` */
    encoding_method: CiString(36),
    encoding_method_version: t.Optional(Type.Integer()),
    /** Base64 */
    public_key: t.Optional(OcpiString(512)),
    signed_values: t.Array(SignedValue, { minItems: 1 }),
    /** Page where the driver can verify the data (string(512), not URL). */
    url: t.Optional(OcpiString(512)),
  },
  { title: 'SignedData', examples: [{ encoding_method: 'OCMF', encoding_method_version: 1, signed_values: [{ nature: 'Start', plain_data: 'OCMF|{"FV":"1.0","RD":[{"TM":"2015-06-29T21:39:09,000+0000 S","RV":0.0,"RU":"kWh"}]}', signed_data: 'MEUCIQDd9Y1ZxP5ULhWqX3uN6WcE2z3v4rD1fUa7H0Qn4bUu7AIgG0o0fqJwzD8y8n6dH0P1sW8sB5b7zJ3r8dQ3m2Z0v0Y=' }], url: 'https://transparenz.software/' }] },
);
export type SignedData = Static<typeof SignedData>;

export const CDR = t.Object(
  {
    /** Owner CPO. */
    country_code: CiString(2),
    party_id: CiString(3),
    /** CiString(39): normal CDR ids stay within 36, the rest is room for a credit suffix like `-C`. */
    id: CiString(39),
    start_date_time: DateTime,
    end_date_time: DateTime,
    /** Omitted only for a reservation that never became a session (or without a Sessions module). */
    session_id: t.Optional(CiString(36)),
    cdr_token: CdrToken,
    /** The last method used. */
    auth_method: AuthMethod,
    authorization_reference: t.Optional(CiString(36)),
    cdr_location: CdrLocation,
    meter_id: t.Optional(OcpiString(255)),
    /** ISO 4217 */
    currency: OcpiString(3),
    /** Copies of the relevant tariffs as at session start (include a free tariff if relevant). */
    tariffs: t.Optional(t.Array(Tariff)),
    /** At least one; a new period at every cost-relevant change. */
    charging_periods: t.Array(CdrChargingPeriod, { minItems: 1 }),
    signed_data: t.Optional(SignedData),
    /** Negative for a credit CDR. */
    total_cost: Price,
    /** Fixed costs excluding fixed parking and reservation parts. */
    total_fixed_cost: t.Optional(Price),
    /** kWh */
    total_energy: t.Number(),
    total_energy_cost: t.Optional(Price),
    /** Hours, whole session (charging + not charging). */
    total_time: t.Number(),
    total_time_cost: t.Optional(Price),
    /** Hours not charging; charging time = total_time - total_parking_time. */
    total_parking_time: t.Optional(t.Number()),
    total_parking_cost: t.Optional(Price),
    total_reservation_cost: t.Optional(Price),
    /** e.g. the stop reason */
    remark: t.Optional(OcpiString(255)),
    invoice_reference_id: t.Optional(CiString(39)),
    /** true = credit CDR; then `credit_reference_id` is required (not expressed by the schema). */
    credit: t.Optional(t.Boolean()),
    /** Id of the CDR being credited. */
    credit_reference_id: t.Optional(CiString(39)),
    home_charging_compensation: t.Optional(t.Boolean()),
    /** Effectively the creation time: CDRs never change. */
    last_updated: DateTime,
  },
  { title: 'CDR', examples: [S.cdrExample] },
);
export type CDR = Static<typeof CDR>;
