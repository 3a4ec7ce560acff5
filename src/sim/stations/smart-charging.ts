import type { Core } from './core.ts';
import type { Connector, RateUnit, SimProfile, StationPort } from './types.ts';

/** The simulated AC stations are three-phase 230 V (the simulated network's connectors say the same). */
const VOLTS = 230;
const PHASES = 3;

const oneDecimalDown = (value: number) => Math.floor(value * 10 + 1e-9) / 10;
const toWatts = (limit: number, unit: RateUnit) => (unit === 'W' ? limit : limit * VOLTS * PHASES);
const fromWatts = (watts: number, unit: RateUnit) => oneDecimalDown(unit === 'W' ? watts : watts / (VOLTS * PHASES));

/** The power (kW) a TxProfile allows at `atMs`: its period in force, or no limit before it starts and without one. */
export function profileLimitKw(profile: SimProfile | undefined, atMs: number): number {
  if (!profile) return Number.POSITIVE_INFINITY;
  const elapsedS = (atMs - profile.start.getTime()) / 1000;
  const period = profile.periods.filter((p) => p.startPeriod <= elapsedS).at(-1);
  return period ? toWatts(period.limit, profile.unit) / 1000 : Number.POSITIVE_INFINITY;
}

export type SmartCharging = Pick<StationPort, 'rateUnit' | 'setTxProfile' | 'clearProfiles' | 'compositeSchedule'>;

/**
 * What the station does with the CSMS's smart charging, in its own terms (the dialects translate): a TxProfile
 * limits its transaction's power from then on, the composite schedule is that profile from now (or the station's
 * maximum), a clear removes it. AC stations take current, DC stations power.
 */
export function createSmartCharging(core: Core): SmartCharging {
  const { options, connectors, connector, clock, log } = core;
  const rateUnit: RateUnit = options.maxPowerKw > 22 ? 'W' : 'A';

  return {
    rateUnit,

    setTxProfile(connectorId, transactionId, profile) {
      const c = connector(connectorId);
      if (!c?.tx || (transactionId !== undefined && c.tx.id !== transactionId)) return false;
      c.tx.profile = { ...profile, start: profile.start ?? c.tx.startedAt };
      const first = profile.periods[0];
      log('profile', `connector ${c.id}: limited to ${first ? `${first.limit} ${profile.unit}` : 'nothing'} (profile ${profile.id})`);
      return true;
    },

    clearProfiles(filter) {
      const matches = (c: Connector) => c.tx?.profile && (filter.id === undefined || c.tx.profile.id === filter.id) && (filter.connectorId === undefined || c.id === filter.connectorId);
      const cleared = connectors.filter(matches);
      for (const c of cleared) {
        c.tx!.profile = undefined;
        log('profile', `connector ${c.id}: limit lifted`);
      }
      return cleared.length > 0;
    },

    compositeSchedule(connectorId, durationS, unit = rateUnit) {
      const start = clock.now();
      const maxW = options.maxPowerKw * 1000;
      const profile = connectorId === 0 ? undefined : connector(connectorId)?.tx?.profile;
      if (!profile) return { start, unit, periods: [{ startPeriod: 0, limit: fromWatts(maxW, unit) }] };
      // The profile from now on: the period in force first, the later ones within the duration after it.
      const elapsedS = Math.max(0, Math.floor((start.getTime() - profile.start.getTime()) / 1000));
      const current = profile.periods.filter((p) => p.startPeriod <= elapsedS).at(-1);
      const later = profile.periods.filter((p) => p.startPeriod > elapsedS && p.startPeriod - elapsedS < durationS);
      const periods = [...(current ? [{ ...current, startPeriod: elapsedS }] : [{ startPeriod: elapsedS, limit: profile.unit === 'W' ? maxW : fromWatts(maxW, 'A') }]), ...later];
      return {
        start,
        unit,
        periods: periods.map((p) => ({ startPeriod: p.startPeriod - elapsedS, limit: fromWatts(Math.min(maxW, toWatts(p.limit, profile.unit)), unit) })),
      };
    },
  };
}
