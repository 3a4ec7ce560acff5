import { chargingPowerKw } from './power-curve.ts';
import { profileLimitKw } from './smart-charging.ts';
import type { Sample, Transaction } from './types.ts';

/** Integration step (simulated ms): fine enough that the taper is followed, whatever the meter interval. */
const STEP_MS = 10_000;

/**
 * Brings a transaction's meter up to `now`: integrates the power curve — capped by the CSMS's charging profile,
 * if it set one — over the simulated time since the last sample, never past the planned energy, so a session that
 * runs to its end delivers exactly what was planned. `jitter` (e.g. 0.98–1.02) makes the reported power look
 * measured rather than computed. The register is whole Wh, as OCPP 1.6 meterStart/meterStop are.
 */
export function advanceMeter(tx: Transaction, now: Date, jitter = 1): Sample {
  let at = tx.lastSampleAt.getTime();
  const powerAt = (ms: number) => Math.min(chargingPowerKw(tx.deliveredWh / tx.plannedWh, tx.vehicleMaxKw) * jitter, profileLimitKw(tx.profile, ms));
  let powerKw = tx.deliveredWh < tx.plannedWh ? powerAt(at) : 0;
  while (at < now.getTime() && tx.deliveredWh < tx.plannedWh) {
    const step = Math.min(now.getTime() - at, STEP_MS);
    powerKw = powerAt(at);
    tx.deliveredWh = Math.min(tx.plannedWh, tx.deliveredWh + (powerKw * 1000 * step) / 3_600_000);
    at += step;
  }
  tx.lastSampleAt = now;
  tx.powerW = tx.deliveredWh < tx.plannedWh ? Math.round(powerKw * 1000) : 0;
  return { at: now, registerWh: tx.startWh + Math.round(tx.deliveredWh), powerW: tx.powerW };
}
