/**
 * Charging limits between the two units of OCPI and OCPP smart charging. `W` is the total power over all phases,
 * `A` the current per phase (OCPI 2.2.1 ChargingRateUnit, pitfall 39), so W = A × V × phases, with V the
 * connector's nominal voltage — OCPI `max_voltage`, line to neutral on AC — as OCPP 1.6 ChargingRateUnitType
 * asks ("the set voltage for the area, not the measured one"). On DC the voltage follows the battery; max_voltage
 * is its upper end, so a W limit becomes a current that never allows more power, and an A limit a power that
 * cannot be exceeded at any voltage the connector has.
 */
import Big from 'big.js';
import type { ActiveChargingProfile, ChargingProfile, ChargingProfilePeriod, ChargingRateUnit } from '../model/ocpi/charging-profiles.ts';
import type { PowerType } from '../model/ocpi/connector.ts';

/** What a conversion needs of the connector. */
export interface Supply {
  phases: number;
  /** Volts, line to neutral. */
  voltage: number;
}

const PHASES: Record<PowerType, number> = { AC_1_PHASE: 1, AC_2_PHASE: 2, AC_2_PHASE_SPLIT: 2, AC_3_PHASE: 3, DC: 1 };

/** The connector's supply; undefined without a voltage to compute with. */
export function supplyOf(connector: { power_type: PowerType; max_voltage: number }): Supply | undefined {
  return connector.max_voltage > 0 ? { phases: PHASES[connector.power_type], voltage: connector.max_voltage } : undefined;
}

/**
 * `value` in `from` expressed in `to`, with the one decimal OCPI and OCPP limits carry, rounded down: a converted
 * maximum never allows more than the original.
 */
export function convertRate(value: number, from: ChargingRateUnit, to: ChargingRateUnit, supply: Supply): number {
  if (from === to) return value;
  const voltsTimesPhases = new Big(supply.voltage).times(supply.phases);
  const converted = from === 'A' ? new Big(value).times(voltsTimesPhases) : new Big(value).div(voltsTimesPhases);
  return converted.round(1, Big.roundDown).toNumber();
}

/**
 * A profile in another unit. A period may name its own number of phases (an OCPP composite schedule's
 * `numberPhases`); it converts with those.
 */
export function convertProfile(profile: ChargingProfile, to: ChargingRateUnit, supply: Supply, phasesOf: (index: number) => number | undefined = () => undefined): ChargingProfile {
  const from = profile.charging_rate_unit;
  if (from === to) return profile;
  const { min_charging_rate, charging_profile_period, ...rest } = profile;
  return {
    ...rest,
    charging_rate_unit: to,
    ...(min_charging_rate !== undefined ? { min_charging_rate: convertRate(min_charging_rate, from, to, supply) } : {}),
    ...(charging_profile_period
      ? { charging_profile_period: charging_profile_period.map((p, i) => ({ ...p, limit: convertRate(p.limit, from, to, { ...supply, phases: phasesOf(i) ?? supply.phases }) })) }
      : {}),
  };
}

/**
 * The limit in force at `atMs` in watts: the period that has begun last, or the first one when the schedule starts
 * later (a station's clock may run ahead of ours); undefined without periods or, for an `A` limit, a supply.
 */
export function limitWattsAt(active: ActiveChargingProfile, atMs: number, supply: Supply | undefined): number | undefined {
  const periods: ChargingProfilePeriod[] = active.charging_profile.charging_profile_period ?? [];
  const elapsedS = (atMs - Date.parse(active.start_date_time)) / 1000;
  const period = periods.filter((p) => p.start_period <= elapsedS).at(-1) ?? periods[0];
  if (!period) return undefined;
  const unit = active.charging_profile.charging_rate_unit;
  if (unit === 'W') return period.limit;
  return supply && convertRate(period.limit, 'A', 'W', supply);
}
