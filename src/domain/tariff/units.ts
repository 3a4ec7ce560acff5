/** Units the tariff engine converts between: OCPI volumes are hours and kWh, step sizes seconds and Wh (6.4). */
import { dec, divide, type Decimal } from '../money.ts';

export const MS_PER_HOUR = dec(3_600_000);
export const MS_PER_SECOND = dec(1000);
export const KWH_PER_WH = dec('0.001');

export function hoursOf(ms: Decimal): Decimal {
  return divide(ms, MS_PER_HOUR);
}
