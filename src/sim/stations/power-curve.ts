/** Share of the planned energy up to which the vehicle draws its full power. */
export const TAPER_START = 0.8;
/** Power left at the very end of the taper, as a share of the vehicle's maximum. */
export const TAPER_FLOOR = 0.2;

/**
 * The power (kW) a vehicle draws once `fraction` (0–1) of the energy it wants is in: flat at its maximum up to
 * 80 %, then a linear taper down to 20 % of it — the constant-current / constant-voltage shape of a battery
 * charge as the meter sees it. The floor keeps the last percent from taking forever.
 */
export function chargingPowerKw(fraction: number, vehicleMaxKw: number): number {
  if (fraction <= TAPER_START) return vehicleMaxKw;
  const progress = Math.min(1, (fraction - TAPER_START) / (1 - TAPER_START));
  return vehicleMaxKw * (1 - (1 - TAPER_FLOOR) * progress);
}
