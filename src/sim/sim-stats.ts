import type { CsmsClient } from './csms-client.ts';
import type { Simulation } from './simulation.ts';

export interface SimStats {
  stationsConnected: number;
  stations: number;
  sessionsActive: number;
  sessionsCompleted: number;
  /** Completed sessions that belong to someone (a token) but have no CDR: must stay 0. */
  completedWithoutCdr: number;
  kwhDelivered: number;
  cdrs: number;
  cdrsAcknowledged: number;
  deliveriesPending: number;
  errors: number;
}

/**
 * What the simulation has done, read through the public API (what an operator would see) and from the simulated
 * eMSP (what the partner received).
 */
export async function collectStats(sim: Simulation, csms: CsmsClient, errors: number): Promise<SimStats> {
  const sessions = ((await csms.call('GET', '/api/v1/sessions?limit=1000')).body ?? []) as { state: string; ocpi?: { kwh: number }; cdr_id?: string }[];
  const cdrs = await csms.call('GET', '/api/v1/cdrs?limit=1');
  const partners = ((await csms.call('GET', '/api/v1/ocpi/partners')).body ?? []) as { id: string; name?: string; status: string }[];
  let deliveriesPending = 0;
  for (const partner of partners.filter((p) => p.status === 'registered')) {
    const rows = (await csms.call('GET', `/api/v1/ocpi/partners/${partner.id}/deliveries?state=pending,failed`)).body;
    deliveriesPending += Array.isArray(rows) ? rows.length : 0;
  }
  return {
    stationsConnected: sim.stations.filter((s) => s.state().connected).length,
    stations: sim.stations.length,
    sessionsActive: sessions.filter((s) => s.state === 'active').length,
    sessionsCompleted: sessions.filter((s) => s.state === 'completed').length,
    completedWithoutCdr: sessions.filter((s) => s.state === 'completed' && s.ocpi && !s.cdr_id).length,
    kwhDelivered: Math.round(sessions.reduce((sum, s) => sum + (s.ocpi?.kwh ?? 0), 0) * 10) / 10,
    cdrs: Number(cdrs.headers.get('x-total-count') ?? 0),
    cdrsAcknowledged: sim.emsp ? new Set(sim.emsp.view().cdrs.map((c: { id: string }) => c.id)).size : 0,
    deliveriesPending,
    errors,
  };
}

export function formatStats(s: SimStats): string {
  return [
    `stations ${s.stationsConnected}/${s.stations}`,
    `sessions active ${s.sessionsActive} done ${s.sessionsCompleted}`,
    `${s.kwhDelivered} kWh`,
    `CDRs ${s.cdrs} (eMSP acked ${s.cdrsAcknowledged})`,
    `deliveries pending ${s.deliveriesPending}`,
    `errors ${s.errors}`,
  ].join(' · ');
}
