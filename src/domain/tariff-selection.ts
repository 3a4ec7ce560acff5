import type { Tariff, TariffType } from '../model/ocpi/tariff.ts';
import { parseOcpiDateTime } from '../lib/clock.ts';

/**
 * Which of a connector's tariffs prices a session (OCPI 2.2.1 Tariffs 6.1): among those valid at the start, the
 * one of the wanted type, else one without type (valid for all sessions), else a REGULAR one.
 */
export function selectTariff(candidates: readonly Tariff[], wanted: TariffType, at: string): Tariff | undefined {
  const atMs = parseOcpiDateTime(at);
  const valid = candidates.filter(
    (t) => (!t.start_date_time || parseOcpiDateTime(t.start_date_time) <= atMs) && (!t.end_date_time || atMs < parseOcpiDateTime(t.end_date_time)),
  );
  return valid.find((t) => t.type === wanted) ?? valid.find((t) => t.type === undefined) ?? valid.find((t) => t.type === 'REGULAR');
}
