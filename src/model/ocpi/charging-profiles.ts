/**
 * OCPI 2.2.1 ChargingProfiles module objects (digest 5.7; flow in 4.7). Our CPO is the Receiver: the eMSP (or an
 * SCSP) PUTs a SetChargingProfile on a session, GETs the active profile or DELETEs its profile; we answer at once
 * with a ChargingProfileResponse and later POST the station's outcome to the request's `response_url`. The release
 * ships no example files for this module: the examples below follow the object tables of the spec.
 */
import { t } from 'elysia';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { DateTime, StringEnum, Url } from './types.ts';

/** `W`: total power over all phases; `A`: current per phase, not the sum (pitfall 39). */
export const ChargingRateUnit = StringEnum('ChargingRateUnit', ['W', 'A']);
export type ChargingRateUnit = Static<typeof ChargingRateUnit>;

/** A period lasts from its `start_period` (seconds from the profile's start) until the next period's. */
export const ChargingProfilePeriod = t.Object(
  {
    start_period: Type.Integer({ minimum: 0 }),
    /** Maximum in the profile's unit; at most one decimal. Profiles are limits, not targets. */
    limit: t.Number({ minimum: 0 }),
  },
  { title: 'ChargingProfilePeriod', examples: [{ start_period: 0, limit: 7400 }] },
);
export type ChargingProfilePeriod = Static<typeof ChargingProfilePeriod>;

const profileExample = { charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 7400 }, { start_period: 1800, limit: 11000 }] };
const activeExample = {
  start_date_time: '2015-06-29T20:39:09Z',
  charging_profile: { start_date_time: '2015-06-29T20:39:09Z', duration: 3600, charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 7383 }] },
};

export const ChargingProfile = t.Object(
  {
    /** Absolute start; absent: relative to the start of charging. */
    start_date_time: t.Optional(DateTime),
    /** Seconds; absent: the last period lasts until the end of the transaction. */
    duration: t.Optional(Type.Integer({ minimum: 0 })),
    charging_rate_unit: ChargingRateUnit,
    /** The lowest rate the EV charges at, in the profile's unit; at most one decimal. */
    min_charging_rate: t.Optional(t.Number({ minimum: 0 })),
    charging_profile_period: t.Optional(t.Array(ChargingProfilePeriod)),
  },
  { title: 'ChargingProfile', examples: [profileExample] },
);
export type ChargingProfile = Static<typeof ChargingProfile>;

/** Body of the eMSP's PUT `{chargingprofiles}/{session_id}`. */
export const SetChargingProfile = t.Object(
  {
    charging_profile: ChargingProfile,
    /** Where the ChargingProfileResult goes. */
    response_url: Url,
  },
  { title: 'SetChargingProfile', examples: [{ charging_profile: profileExample, response_url: 'https://www.server.com/ocpi/emsp/2.2.1/chargingprofiles/results/1289' }] },
);
export type SetChargingProfile = Static<typeof SetChargingProfile>;

/** The schedule the charger works to: periods relative to `start_date_time`, when the charger computed it. */
export const ActiveChargingProfile = t.Object(
  {
    start_date_time: DateTime,
    charging_profile: ChargingProfile,
  },
  { title: 'ActiveChargingProfile', examples: [activeExample] },
);
export type ActiveChargingProfile = Static<typeof ActiveChargingProfile>;

/** Our synchronous answer: ACCEPTED means "forwarded to the charge point", not that it took the profile. */
export const ChargingProfileResponseType = StringEnum('ChargingProfileResponseType', ['ACCEPTED', 'NOT_SUPPORTED', 'REJECTED', 'TOO_OFTEN', 'UNKNOWN_SESSION']);
export type ChargingProfileResponseType = Static<typeof ChargingProfileResponseType>;

/** The charge point's outcome; UNKNOWN: no profile matched the request (a clear of nothing). */
export const ChargingProfileResultType = StringEnum('ChargingProfileResultType', ['ACCEPTED', 'REJECTED', 'UNKNOWN']);
export type ChargingProfileResultType = Static<typeof ChargingProfileResultType>;

/** `data` of our answer to a GET, PUT or DELETE. */
export const ChargingProfileResponse = t.Object(
  {
    result: ChargingProfileResponseType,
    /** Seconds the eMSP should wait for the asynchronous result. */
    timeout: Type.Integer({ minimum: 0 }),
  },
  { title: 'ChargingProfileResponse', examples: [{ result: 'ACCEPTED', timeout: 30 }] },
);
export type ChargingProfileResponse = Static<typeof ChargingProfileResponse>;

/** POSTed to the `response_url` of a GET. */
export const ActiveChargingProfileResult = t.Object(
  {
    result: ChargingProfileResultType,
    /** Present when ACCEPTED. */
    profile: t.Optional(ActiveChargingProfile),
  },
  { title: 'ActiveChargingProfileResult', examples: [{ result: 'ACCEPTED', profile: activeExample }] },
);
export type ActiveChargingProfileResult = Static<typeof ActiveChargingProfileResult>;

/** POSTed to the `response_url` of a PUT. */
export const ChargingProfileResult = t.Object({ result: ChargingProfileResultType }, { title: 'ChargingProfileResult', examples: [{ result: 'ACCEPTED' }] });
export type ChargingProfileResult = Static<typeof ChargingProfileResult>;

/** POSTed to the `response_url` of a DELETE. */
export const ClearProfileResult = t.Object({ result: ChargingProfileResultType }, { title: 'ClearProfileResult', examples: [{ result: 'ACCEPTED' }] });
export type ClearProfileResult = Static<typeof ClearProfileResult>;
