/**
 * OCPI ChargingProfiles in OCPP terms, both versions (ocpp-notes §2: SetChargingProfile, ClearChargingProfile,
 * GetCompositeSchedule): the CALLs we make for an eMSP's request and what the station's answers mean for it.
 * Pure functions; the station's unit and the conversion between units are decided by the caller
 * (./charging-rate.ts).
 */
import { ocpiDateTime, parseOcpiDateTime } from '../lib/clock.ts';
import type { ActiveChargingProfile, ChargingProfile, ChargingProfileResultType, ChargingRateUnit } from '../model/ocpi/charging-profiles.ts';
import type { OcppVersion } from '../model/ocpp-version.ts';

/** An OCPP CALL: action and payload. */
export interface OcppCall {
  action: string;
  payload: Record<string, unknown>;
}

/** Where a session's profile goes: its EVSE (1.6 connectorId, 2.0.1 evseId), transaction and our profile id. */
export interface ProfileTarget {
  ocppEvseId: number;
  transactionId: string;
  /** chargingProfileId (1.6) / id (2.0.1): one per session, so a new PUT replaces the eMSP's earlier profile. */
  profileId: number;
}

/** Above a station's default profiles (stack level 0); the same level every time, so ours replace each other. */
const STACK_LEVEL = 1;

const isoOf = (value: string) => new Date(parseOcpiDateTime(value)).toISOString();

/**
 * The eMSP's profile as the TxProfile of the session's transaction. With `start_date_time` it is Absolute from
 * then; without, Relative — from the start of charging, which is what OCPI means by an absent start.
 */
export function setChargingProfileCall(version: OcppVersion, target: ProfileTarget, profile: ChargingProfile): OcppCall {
  const kind = profile.start_date_time ? 'Absolute' : 'Relative';
  const schedule = {
    ...(profile.start_date_time ? { startSchedule: isoOf(profile.start_date_time) } : {}),
    ...(profile.duration !== undefined ? { duration: profile.duration } : {}),
    chargingRateUnit: profile.charging_rate_unit,
    chargingSchedulePeriod: (profile.charging_profile_period ?? []).map((p) => ({ startPeriod: p.start_period, limit: p.limit })),
    ...(profile.min_charging_rate !== undefined ? { minChargingRate: profile.min_charging_rate } : {}),
  };
  const common = { stackLevel: STACK_LEVEL, chargingProfilePurpose: 'TxProfile', chargingProfileKind: kind };
  if (version === 'ocpp2.0.1')
    return {
      action: 'SetChargingProfile',
      payload: { evseId: target.ocppEvseId, chargingProfile: { id: target.profileId, ...common, transactionId: target.transactionId, chargingSchedule: [{ id: target.profileId, ...schedule }] } },
    };
  return {
    action: 'SetChargingProfile',
    payload: { connectorId: target.ocppEvseId, csChargingProfiles: { chargingProfileId: target.profileId, transactionId: Number(target.transactionId), ...common, chargingSchedule: schedule } },
  };
}

/** Clears exactly the eMSP's profile of the session, by its id; other profiles on the station stay. */
export function clearChargingProfileCall(version: OcppVersion, profileId: number): OcppCall {
  return { action: 'ClearChargingProfile', payload: version === 'ocpp2.0.1' ? { chargingProfileId: profileId } : { id: profileId } };
}

/** The schedule the EVSE will work to for the next `durationS` seconds, in the station's own unit. */
export function compositeScheduleCall(version: OcppVersion, ocppEvseId: number, durationS: number): OcppCall {
  return { action: 'GetCompositeSchedule', payload: version === 'ocpp2.0.1' ? { evseId: ocppEvseId, duration: durationS } : { connectorId: ocppEvseId, duration: durationS } };
}

/** 1.6 configuration key / 2.0.1 device model variable listing the units a station takes schedules in. */
export function rateUnitsCall(version: OcppVersion): OcppCall {
  return version === 'ocpp2.0.1'
    ? { action: 'GetVariables', payload: { getVariableData: [{ component: { name: 'SmartChargingCtrlr' }, variable: { name: 'RateUnit' } }] } }
    : { action: 'GetConfiguration', payload: { key: ['ChargingScheduleAllowedChargingRateUnit'] } };
}

const UNIT_NAMES: Record<string, ChargingRateUnit> = { Current: 'A', Power: 'W', A: 'A', W: 'W' };

/**
 * The units the station says it takes (1.6 "Current,Power", 2.0.1 "A,W"); undefined when it does not say (an
 * unknown key or variable), and then nothing is converted.
 */
export function rateUnitsOf(version: OcppVersion, answer: unknown): ChargingRateUnit[] | undefined {
  const value =
    version === 'ocpp2.0.1'
      ? (answer as { getVariableResult?: { attributeStatus?: string; attributeValue?: string }[] })?.getVariableResult?.find((r) => r.attributeStatus === 'Accepted')?.attributeValue
      : (answer as { configurationKey?: { key: string; value?: string }[] })?.configurationKey?.find((k) => k.key === 'ChargingScheduleAllowedChargingRateUnit')?.value;
  const units = (value ?? '').split(',').flatMap((name) => UNIT_NAMES[name.trim()] ?? []);
  return units.length > 0 ? units : undefined;
}

/** A composite schedule as the station sent it, and each period's own number of phases where it gave one. */
export interface StationSchedule {
  active: ActiveChargingProfile;
  periodPhases: (number | undefined)[];
}

type OcppPeriod = { startPeriod: number; limit: number; numberPhases?: number };
type OcppSchedule = { duration?: number; startSchedule?: string; scheduleStart?: string; chargingRateUnit: ChargingRateUnit; chargingSchedulePeriod: OcppPeriod[]; minChargingRate?: number };

/** An accepted GetCompositeSchedule answer as an ActiveChargingProfile (still in the station's unit). */
export function compositeScheduleOf(version: OcppVersion, answer: unknown, now: Date): StationSchedule | undefined {
  const reply = answer as { status?: string; scheduleStart?: string; chargingSchedule?: OcppSchedule; schedule?: OcppSchedule } | undefined;
  const schedule = version === 'ocpp2.0.1' ? reply?.schedule : reply?.chargingSchedule;
  if (reply?.status !== 'Accepted' || !schedule) return undefined;
  const stamped = Date.parse(schedule.scheduleStart ?? reply.scheduleStart ?? schedule.startSchedule ?? '');
  const start = ocpiDateTime(Number.isNaN(stamped) ? now : new Date(stamped));
  return {
    active: {
      start_date_time: start,
      charging_profile: {
        start_date_time: start,
        ...(schedule.duration !== undefined ? { duration: schedule.duration } : {}),
        charging_rate_unit: schedule.chargingRateUnit,
        ...(schedule.minChargingRate !== undefined ? { min_charging_rate: schedule.minChargingRate } : {}),
        charging_profile_period: schedule.chargingSchedulePeriod.map((p) => ({ start_period: p.startPeriod, limit: p.limit })),
      },
    },
    periodPhases: schedule.chargingSchedulePeriod.map((p) => p.numberPhases),
  };
}

/**
 * The station's status → the ChargingProfileResultType the eMSP gets. 1.6 NotSupported has no OCPI counterpart:
 * the profile was not taken, so REJECTED; anything unexpected is a refusal too, never a success.
 */
const RESULTS = {
  set: { Accepted: 'ACCEPTED', Rejected: 'REJECTED', NotSupported: 'REJECTED' },
  clear: { Accepted: 'ACCEPTED', Unknown: 'UNKNOWN' },
  get: { Accepted: 'ACCEPTED', Rejected: 'REJECTED' },
} as const satisfies Record<string, Record<string, ChargingProfileResultType>>;

export function profileResultOf(kind: keyof typeof RESULTS, answer: unknown): ChargingProfileResultType {
  const status = (answer as { status?: unknown } | null)?.status;
  return (typeof status === 'string' && (RESULTS[kind] as Record<string, ChargingProfileResultType>)[status]) || 'REJECTED';
}
