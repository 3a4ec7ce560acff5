import { Type } from '@sinclair/typebox';
/**
 * OCPI 2.2.1 Locations module: Location and its sub-objects (digest 5.1).
 * EVSE and Connector live in evse.ts / connector.ts and are re-exported here, as is GeoLocation
 * (defined in types.ts because CDRs use it too).
 */
import { t } from 'elysia';
import type { Static } from '@sinclair/typebox';
import { EVSE } from './evse.ts';
import { TokenType } from './token.ts';
import {
  BusinessDetails,
  CiString,
  DateTime,
  DisplayText,
  EnergyMix,
  GeoLocation,
  Image,
  OcpiString,
  TimeZone,
  PatchOf,
  StringEnum,
  TimeOfDay,
} from './types.ts';
import * as S from './spec-examples.ts';

export * from './connector.ts';
export * from './evse.ts';
export { GeoLocation } from './types.ts';

export const ParkingType = StringEnum('ParkingType', [
  'ALONG_MOTORWAY',
  'PARKING_GARAGE',
  'PARKING_LOT',
  'ON_DRIVEWAY',
  'ON_STREET',
  'UNDERGROUND_GARAGE',
]);
export type ParkingType = Static<typeof ParkingType>;

export const Facility = StringEnum('Facility', [
  'HOTEL',
  'RESTAURANT',
  'CAFE',
  'MALL',
  'SUPERMARKET',
  'SPORT',
  'RECREATION_AREA',
  'NATURE',
  'MUSEUM',
  'BIKE_SHARING',
  'BUS_STOP',
  'TAXI_STAND',
  'TRAM_STOP',
  'METRO_STATION',
  'TRAIN_STATION',
  'AIRPORT',
  'PARKING_LOT',
  'CARPOOL_PARKING',
  'FUEL_STATION',
  'WIFI',
]);
export type Facility = Static<typeof Facility>;

/** Same coordinate regexes as GeoLocation, plus an optional name for the related point. */
export const AdditionalGeoLocation = t.Object(
  {
    ...GeoLocation.properties,
    name: t.Optional(DisplayText),
  },
  { title: 'AdditionalGeoLocation', examples: [{ latitude: '51.047599', longitude: '3.729944', name: { language: 'en', text: 'Entrance on Rooseveltlaan' } }] },
);
export type AdditionalGeoLocation = Static<typeof AdditionalGeoLocation>;

/** Local time (Location.time_zone); `period_end` must be later than `period_begin` (not checked here). */
export const RegularHours = t.Object(
  {
    /** 1 = Monday … 7 = Sunday */
    weekday: Type.Integer({ minimum: 1, maximum: 7 }),
    period_begin: TimeOfDay,
    period_end: TimeOfDay,
  },
  { title: 'RegularHours', examples: [S.locationHoursWithExceptionalClosing.regular_hours[0]] },
);
export type RegularHours = Static<typeof RegularHours>;

/** UTC period (unlike RegularHours, which are local times). */
export const ExceptionalPeriod = t.Object(
  {
    period_begin: DateTime,
    period_end: DateTime,
  },
  { title: 'ExceptionalPeriod', examples: [S.locationHoursWithExceptionalClosing.exceptional_closings[0]] },
);
export type ExceptionalPeriod = Static<typeof ExceptionalPeriod>;

/**
 * `regular_hours` belongs only with `twentyfourseven: false` (then at least one entry); that
 * cross-field rule is left to the caller. Closings override regular hours and exceptional openings.
 */
export const Hours = t.Object(
  {
    twentyfourseven: t.Boolean(),
    regular_hours: t.Optional(t.Array(RegularHours)),
    exceptional_openings: t.Optional(t.Array(ExceptionalPeriod)),
    exceptional_closings: t.Optional(t.Array(ExceptionalPeriod)),
  },
  { title: 'Hours', examples: [S.locationHoursWithExceptionalClosing] },
);
export type Hours = Static<typeof Hours>;

/**
 * A token must match all set fields of one entry. Rules not expressed by the schema (checked by the
 * caller): at least one of uid/visual_number/group_id; `type` required with `uid`; `issuer` required
 * with `visual_number`.
 */
export const PublishTokenType = t.Object(
  {
    uid: t.Optional(CiString(36)),
    type: t.Optional(TokenType),
    visual_number: t.Optional(OcpiString(64)),
    issuer: t.Optional(OcpiString(64)),
    group_id: t.Optional(CiString(36)),
  },
  { title: 'PublishTokenType', examples: [{ visual_number: '12345-67', issuer: 'NewMotion' }] },
);
export type PublishTokenType = Static<typeof PublishTokenType>;

export const Location = t.Object(
  {
    country_code: CiString(2),
    party_id: CiString(3),
    /** Unique within the CPO platform; never changed. */
    id: CiString(36),
    publish: t.Boolean(),
    /** Only allowed when `publish` is false. */
    publish_allowed_to: t.Optional(t.Array(PublishTokenType)),
    name: t.Optional(OcpiString(255)),
    /** string(255) per post-d2 erratum (d2 text said 45). */
    address: OcpiString(255),
    city: OcpiString(45),
    /** Omitted only where the place has no postal code (e.g. some motorway sites). */
    postal_code: t.Optional(OcpiString(10)),
    /** string(45) per post-d2 erratum (d2 text said 20). */
    state: t.Optional(OcpiString(45)),
    /** ISO 3166-1 alpha-3 (e.g. NLD), unlike the alpha-2 `country_code`. */
    country: OcpiString(3),
    coordinates: GeoLocation,
    related_locations: t.Optional(t.Array(AdditionalGeoLocation)),
    parking_type: t.Optional(ParkingType),
    evses: t.Optional(t.Array(EVSE)),
    directions: t.Optional(t.Array(DisplayText)),
    /** Absent → use the business details of the matching CredentialsRole. */
    operator: t.Optional(BusinessDetails),
    suboperator: t.Optional(BusinessDetails),
    owner: t.Optional(BusinessDetails),
    facilities: t.Optional(t.Array(Facility)),
    /** IANA tz name; tariff restrictions are evaluated in this zone. */
    time_zone: TimeZone,
    opening_times: t.Optional(Hours),
    /** Default true when absent. */
    charging_when_closed: t.Optional(t.Boolean()),
    images: t.Optional(t.Array(Image)),
    energy_mix: t.Optional(EnergyMix),
    /** Bumped whenever the Location or any EVSE/Connector changes (1.7). */
    last_updated: DateTime,
  },
  { title: 'Location', examples: [S.locationExample, S.locationExampleUc2DestinationCharger] },
);
export type Location = Static<typeof Location>;

/** PATCH on `{locations}/{cc}/{pid}/{location_id}` (e.g. a rename). */
export const LocationPatch = PatchOf(Location, 'LocationPatch', [S.locationPatchExampleLocation]);
export type LocationPatch = Static<typeof LocationPatch>;
