import type { MeterEntry } from '../../domain/cdr/meter-history.ts';
import type { Db } from './db.ts';

interface Row {
  seq: number;
  kind: MeterEntry['kind'];
  at: string;
  energy_kwh: string | null;
  power_kw: string | null;
  current_a: string | null;
  charging: number | null;
}

/** The meter histories of sessions (schema/session-readings.ts): appended on every reading, read whole for a CDR. */
export function sessionReadingsRepo(db: Db) {
  // One insert per reading on the hottest path: a prepared statement.
  const insert = db.$client.prepare<unknown, [string, number, string, string, string | null, string | null, string | null, number | null]>(
    'INSERT INTO session_readings (session_id, seq, kind, at, energy_kwh, power_kw, current_a, charging) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const select = db.$client.prepare<Row, [string]>(
    'SELECT seq, kind, at, energy_kwh, power_kw, current_a, charging FROM session_readings WHERE session_id = ? ORDER BY seq',
  );
  return {
    append(sessionId: string, entries: readonly MeterEntry[]) {
      for (const e of entries) insert.run(sessionId, e.seq, e.kind, e.at, e.energyKwh ?? null, e.powerKw ?? null, e.currentA ?? null, e.charging === undefined ? null : Number(e.charging));
    },
    of(sessionId: string): MeterEntry[] {
      return select.all(sessionId).map((r) => ({
        seq: r.seq,
        kind: r.kind,
        at: r.at,
        ...(r.energy_kwh === null ? {} : { energyKwh: r.energy_kwh }),
        ...(r.power_kw === null ? {} : { powerKw: r.power_kw }),
        ...(r.current_a === null ? {} : { currentA: r.current_a }),
        ...(r.charging === null ? {} : { charging: r.charging === 1 }),
      }));
    },
  };
}
