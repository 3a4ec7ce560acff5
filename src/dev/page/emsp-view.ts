/**
 * The dev page's "eMSP view": what the simulated eMSP holds of ours, in the shape the page renders, built from
 * what it received (OCPI bodies, not trusted) — and the simulation's clock, which the page shows its times on.
 */
import { DEV_LIMITS } from './dev-snapshot.ts';

/**
 * The shape the page renders for the simulated eMSP (anything else is shown as raw JSON): what it holds of
 * ours, as an eMSP receiving our pushes stores it. `emspViewOf` builds it from what the eMSP received.
 */
export interface DevEmspView {
  /** Who this is, e.g. "Simulated eMSP DE/EMS". */
  name?: string;
  /** The locations it holds, with the EVSE statuses it was told (compare with ours: pushes lag or fail). */
  locations: { id: string; name: string | null; evses: { uid: string; status: string }[] }[];
  /** The sessions it holds, newest first (at most 20), and how many in all. */
  sessions: { id: string; status: string; evse_uid: string | null; kwh: number | null; total_incl_vat: number | null; currency: string | null }[];
  session_count: number;
  /** CDRs received, newest first (at most 20), and how many in all. */
  cdrs: { id: string; kwh: number | null; total_incl_vat: number | null; currency: string | null; end: string | null }[];
  cdr_count: number;
  /** CDR ids received more than once (should stay empty: each CDR is POSTed exactly once). */
  duplicate_cdr_ids: string[];
  /** The simulation's clock, when the view comes from one (see `SimulationClockView`). */
  clock?: SimulationClockView;
}

/**
 * The simulated clock that stamps every station message, hence every session and CDR time, as one fixed pair
 * of readings (the snapshot stays unchanged while nothing happens). The page shows all its times on this
 * clock — sessions and CDRs as stamped, wall-clock stamps (the delivery queue) converted — and says so, since
 * at ×60 the simulated clock runs hours ahead of the wall within minutes.
 */
export interface SimulationClockView {
  /** Simulated seconds per real second. */
  factor: number;
  /** The simulated time at `wall_at`. */
  sim_at: string;
  wall_at: string;
}

/** The fields read from an OCPI Location, Session or CDR body the eMSP holds (bodies are not trusted). */
type Received = {
  id?: unknown;
  uid?: unknown;
  name?: unknown;
  status?: unknown;
  evse_uid?: unknown;
  kwh?: unknown;
  total_energy?: unknown;
  total_cost?: unknown;
  currency?: unknown;
  end_date_time?: unknown;
};

/**
 * A `DevEmspView` from what an eMSP received: the locations and sessions it stores (last version of each, in
 * the order first received) and every CDR body POSTed to it, in arrival order (duplicates included, so they
 * can be found; pass `duplicateCdrIds` when the eMSP knows them better, e.g. by owner and id).
 */
export function emspViewOf(received: {
  name?: string;
  locations: Iterable<unknown>;
  sessions: Iterable<unknown>;
  cdrs: readonly unknown[];
  duplicateCdrIds?: string[];
}): DevEmspView {
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const inclVat = (v: unknown) => {
    const price = v as { incl_vat?: unknown; excl_vat?: unknown } | undefined;
    return num(price?.incl_vat) ?? num(price?.excl_vat);
  };
  const cdrs = received.cdrs.map((c) => c as Received);
  const sessions = [...received.sessions].map((s) => s as Received);
  const seen = new Map<string, number>();
  for (const cdr of cdrs) {
    const id = str(cdr.id);
    if (id !== null) seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return {
    ...(received.name ? { name: received.name } : {}),
    locations: [...received.locations].map((l) => {
      const location = l as Received & { evses?: Received[] };
      return {
        id: str(location.id) ?? '?',
        name: str(location.name),
        evses: (location.evses ?? []).map((e) => ({ uid: str(e.uid) ?? '?', status: str(e.status) ?? 'UNKNOWN' })),
      };
    }),
    sessions: sessions
      .slice(-DEV_LIMITS.emspRows)
      .reverse()
      .map((session) => ({
        id: str(session.id) ?? '?',
        status: str(session.status) ?? '?',
        evse_uid: str(session.evse_uid),
        kwh: num(session.kwh),
        total_incl_vat: inclVat(session.total_cost),
        currency: str(session.currency),
      })),
    cdrs: cdrs
      .slice(-DEV_LIMITS.emspRows)
      .reverse()
      .map((cdr) => ({ id: str(cdr.id) ?? '?', kwh: num(cdr.total_energy), total_incl_vat: inclVat(cdr.total_cost), currency: str(cdr.currency), end: str(cdr.end_date_time) })),
    session_count: sessions.length,
    cdr_count: cdrs.length,
    duplicate_cdr_ids: received.duplicateCdrIds ?? [...seen].filter(([, n]) => n > 1).map(([id]) => id),
  };
}

/** What `bun dev` shows: the simulated eMSP's own view (as `SimEmsp.view()` returns it) and the simulation clock. */
export function simulatedEmspView(
  emsp: { name: string; countryCode: string; partyId: string; locations: unknown[]; sessions: unknown[]; cdrs: unknown[]; duplicateCdrIds: string[] },
  clock: SimulationClockView,
): DevEmspView {
  const { name, countryCode, partyId, locations, sessions, cdrs, duplicateCdrIds } = emsp;
  return { ...emspViewOf({ name: `${name} ${countryCode}/${partyId}`, locations, sessions, cdrs, duplicateCdrIds }), clock };
}

/** One reading of a simulated clock (`SimClock` of src/sim), fixed from then on. */
export function clockView(clock: { factor: number; now(): Date }): SimulationClockView {
  return { factor: clock.factor, sim_at: clock.now().toISOString(), wall_at: new Date().toISOString() };
}
