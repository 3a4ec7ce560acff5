/**
 * What the developer page (/dev) shows, as one JSON-able object: our locations with their live EVSE statuses,
 * the running sessions, the latest CDRs, every partner's push queue, and — when a simulation wires it — what
 * the simulated eMSP holds. Read through a small port (`DevSources`), so nothing here depends on the app.
 */
import type { SessionView } from '../../../actors/session/sessions.ts';
import type { PartnerView } from '../../../actors/partner/partners.ts';
import type { CDR } from '../../model/ocpi/cdr.ts';
import { objectsOf, type RenderedPage } from '../../storage/rendered-page.ts';
import type { EVSE } from '../../model/ocpi/location.ts';
import type { Session } from '../../model/ocpi/session.ts';
import type { OperatorLocation } from '../../charging-network/network.ts';
import type { Delivery } from '../../storage/ports.ts';

/** How many locations, newest sessions and outbox rows one snapshot looks at (a dev page, not a report). */
export const DEV_LIMITS = {
  locations: 500,
  /** Live sessions are looked for among this many newest sessions. */
  sessionsScanned: 100,
  cdrs: 20,
  /** Sessions and CDRs of the eMSP's view. */
  emspRows: 20,
  deliveryRows: 10,
  /** Queue counts stop at this many rows per state group (`counts_capped` then says so). */
  deliveryCount: 1000,
} as const;

/** The port the page reads through: plain functions, each one query. */
export interface DevSources {
  /** Every location as the operator sees it, EVSEs with their OCPP binding (`ocpp`) when bound. */
  locations(limit: number): OperatorLocation[];
  /** Sessions, newest first (Sessions.list). */
  sessions(limit: number, offset: number): SessionView[];
  /** A page of CDRs, oldest first, with the total count (Sessions.cdrsPage(filter, 'all')). */
  cdrs(page: { offset: number; limit: number }): { items: CDR[]; total: number };
  /** Every partner connection (Partners.list). */
  partners(): Pick<PartnerView, 'id' | 'name' | 'status' | 'roles'>[];
  /** A channel's (partner's) outbox rows in the given states, newest first (Deliveries.list). */
  deliveries(channel: string, statuses: Delivery['status'][], limit: number): Delivery[];
  /** Whether a charge point is connected, if we know it (ChargePoints.view). */
  chargePoint?(id: string): { connected: boolean } | undefined;
  /** The limit (W) an eMSP's charging profile puts on a session now, if any (ChargingProfiles.limitWatts). */
  chargingLimit?(sessionId: string): number | undefined;
  /** The simulated eMSP's view; any JSON-able value, best a `DevEmspView` (./emsp-view.ts: the page renders that shape). */
  emspView?: () => unknown;
}

/** The app's services the port is usually built from (src/app.ts `createApp` returns all of them). */
export interface DevServices {
  network: { operatorLocationsPage(filter: { offset: number; limit: number }): { items: OperatorLocation[] } };
  sessions: { list(limit: number, offset: number): SessionView[]; cdrsPage(filter: { offset: number; limit: number }, owners: 'all'): RenderedPage };
  deliveries: { list(channel: string, statuses: Delivery['status'][], limit: number): Delivery[] };
  partners: { list(): PartnerView[] };
  chargePoints: { view(id: string): { connected: boolean } | undefined };
  chargingProfiles: { limitWatts(sessionId: string): number | undefined };
}

/** The port over the app's services; `emspView` is the simulation's, when there is one. */
export function devSourcesOf(services: DevServices, emspView?: () => unknown): DevSources {
  const { network, sessions, deliveries, partners, chargePoints, chargingProfiles } = services;
  return {
    locations: (limit) => network.operatorLocationsPage({ offset: 0, limit }).items,
    sessions: (limit, offset) => sessions.list(limit, offset),
    cdrs: (filter) => {
      const page = sessions.cdrsPage(filter, 'all');
      return { items: objectsOf<CDR>(page), total: page.total };
    },
    partners: () => partners.list(),
    deliveries: (channel, statuses, limit) => deliveries.list(channel, statuses, limit),
    chargePoint: (id) => chargePoints.view(id),
    chargingLimit: (id) => chargingProfiles.limitWatts(id),
    ...(emspView ? { emspView } : {}),
  };
}

export interface DevEvse {
  uid: string;
  evse_id: string | null;
  /** OCPI EVSE status. */
  status: EVSE['status'];
  charge_point_id: string | null;
  /** OCPP 1.6 connectorId / 2.0.1 evseId on that charge point. */
  ocpp_evse_id: number | null;
  /** Whether the charge point is connected now; null when unbound or unknown. */
  connected: boolean | null;
  /** The first connector's kind and power, e.g. "AC 22 kW". */
  power: string | null;
}

export interface DevLocation {
  id: string;
  name: string | null;
  address: string;
  city: string;
  publish: boolean;
  evses: DevEvse[];
}

export interface DevSession {
  id: string;
  /** OCPI Session status (PENDING, ACTIVE; RESERVATION/INVALID never appear here). */
  status: Session['status'];
  charge_point_id: string;
  ocpp_evse_id: number;
  location_id: string | null;
  evse_uid: string | null;
  token_uid: string | null;
  kwh: number | null;
  /** The running total_cost, incl. VAT when the tariff has VAT. */
  total_incl_vat: number | null;
  total_excl_vat: number | null;
  currency: string | null;
  start: string;
  /** The limit its eMSP's charging profile puts on it now, in kW (one decimal); null when none. */
  limit_kw: number | null;
}

export interface DevCdr {
  id: string;
  session_id: string | null;
  token_uid: string;
  location_id: string;
  evse_uid: string;
  kwh: number;
  total_incl_vat: number | null;
  total_excl_vat: number;
  currency: string;
  start: string;
  end: string;
}

export interface DevDelivery {
  id: number;
  /** pending, failed (pending after ≥ 1 failed attempt), dead, delivered, cancelled. */
  state: 'pending' | 'failed' | 'dead' | 'delivered' | 'cancelled';
  object: string;
  method: string;
  module: string | null;
  path: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
}

export interface DevPartnerQueue {
  partner_id: string;
  name: string | null;
  /** invited, registering, registered, unregistered. */
  status: string;
  counts: { pending: number; failed: number; dead: number };
  /** True when a count reached DEV_LIMITS.deliveryCount and is a lower bound. */
  counts_capped: boolean;
  /** The newest rows in any state, newest first. */
  latest: DevDelivery[];
}

export interface DevSnapshot {
  locations: DevLocation[];
  /** Sessions not completed yet, among the DEV_LIMITS.sessionsScanned newest; newest first. */
  sessions: DevSession[];
  /** The latest CDRs, newest first. */
  cdrs: DevCdr[];
  cdr_total: number;
  /** One queue per partner (the payments channel is not shown). */
  deliveries: DevPartnerQueue[];
  /** `sources.emspView()` (a DevEmspView under `bun dev`), or null when nothing is wired. */
  emsp: unknown;
  /** Sections that could not be read this time ("locations: <error>"); the rest is still shown. */
  problems: string[];
}

/** Builds the snapshot; a failing section is reported in `problems` and left empty. */
export function devSnapshot(sources: DevSources): DevSnapshot {
  const problems: string[] = [];
  const section = <T>(name: string, fallback: T, read: () => T): T => {
    try {
      return read();
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      return fallback;
    }
  };
  const locations = section('locations', [], () => readLocations(sources));
  const sessions = section('sessions', [], () => readSessions(sources));
  const { cdrs, total } = section('cdrs', { cdrs: [], total: 0 }, () => readCdrs(sources));
  const deliveries = section('deliveries', [], () => readQueues(sources));
  const emsp = sources.emspView ? section('emsp', null, () => sources.emspView!() ?? null) : null;
  return { locations, sessions, cdrs, cdr_total: total, deliveries, emsp, problems };
}

function readLocations(sources: DevSources): DevLocation[] {
  const connected = new Map<string, boolean | null>();
  const isConnected = (id: string) => {
    if (!connected.has(id)) connected.set(id, sources.chargePoint?.(id)?.connected ?? null);
    return connected.get(id)!;
  };
  return sources.locations(DEV_LIMITS.locations).map((location) => ({
    id: location.id,
    name: location.name ?? null,
    address: location.address,
    city: location.city,
    publish: location.publish,
    evses: (location.evses ?? []).map((evse) => ({
      uid: evse.uid,
      evse_id: evse.evse_id ?? null,
      status: evse.status,
      charge_point_id: evse.ocpp?.charge_point_id ?? null,
      ocpp_evse_id: evse.ocpp?.evse_id ?? null,
      connected: evse.ocpp ? isConnected(evse.ocpp.charge_point_id) : null,
      power: powerOf(evse.connectors[0]),
    })),
  }));
}

function powerOf(connector: NonNullable<OperatorLocation['evses']>[number]['connectors'][number] | undefined): string | null {
  if (!connector) return null;
  const phases = connector.power_type === 'AC_3_PHASE' ? 3 : 1;
  const watts = connector.max_electric_power ?? connector.max_voltage * connector.max_amperage * phases;
  const kind = connector.power_type === 'DC' ? 'DC' : 'AC';
  return `${kind} ${Number((watts / 1000).toFixed(1))} kW`;
}

function readSessions(sources: DevSources): DevSession[] {
  return sources
    .sessions(DEV_LIMITS.sessionsScanned, 0)
    .filter((view) => view.state !== 'completed')
    .map(({ context, state, session }) => ({
      id: context.id,
      status: session?.status ?? (state === 'active' ? 'ACTIVE' : 'PENDING'),
      charge_point_id: context.chargePointId,
      ocpp_evse_id: context.ocppEvseId,
      location_id: session?.location_id ?? context.place?.locationId ?? null,
      evse_uid: session?.evse_uid ?? context.place?.evseUid ?? null,
      token_uid: session?.cdr_token.uid ?? context.token?.uid ?? null,
      kwh: session?.kwh ?? null,
      total_incl_vat: session?.total_cost ? (session.total_cost.incl_vat ?? session.total_cost.excl_vat) : null,
      total_excl_vat: session?.total_cost?.excl_vat ?? null,
      currency: session?.currency ?? context.place?.currency ?? null,
      start: context.startAt,
      limit_kw: kilowatts(sources.chargingLimit?.(context.id)),
    }));
}

const kilowatts = (watts: number | undefined) => (watts === undefined ? null : Number((watts / 1000).toFixed(1)));

function readCdrs(sources: DevSources): { cdrs: DevCdr[]; total: number } {
  const { total } = sources.cdrs({ offset: 0, limit: 1 });
  const { items } = sources.cdrs({ offset: Math.max(0, total - DEV_LIMITS.cdrs), limit: DEV_LIMITS.cdrs });
  const cdrs = items.reverse().map((cdr) => ({
    id: cdr.id,
    session_id: cdr.session_id ?? null,
    token_uid: cdr.cdr_token.uid,
    location_id: cdr.cdr_location.id,
    evse_uid: cdr.cdr_location.evse_uid,
    kwh: cdr.total_energy,
    total_incl_vat: cdr.total_cost.incl_vat ?? cdr.total_cost.excl_vat,
    total_excl_vat: cdr.total_cost.excl_vat,
    currency: cdr.currency,
    start: cdr.start_date_time,
    end: cdr.end_date_time,
  }));
  return { cdrs, total };
}

function readQueues(sources: DevSources): DevPartnerQueue[] {
  return sources.partners().map((partner) => {
    const open = sources.deliveries(partner.id, ['pending', 'dead'], DEV_LIMITS.deliveryCount);
    const counts = { pending: 0, failed: 0, dead: 0 };
    for (const row of open) counts[stateOf(row) as keyof typeof counts]++;
    const latest = sources.deliveries(partner.id, ['pending', 'dead', 'delivered', 'cancelled'], DEV_LIMITS.deliveryRows).map(
      (row): DevDelivery => ({
        id: row.id,
        state: stateOf(row),
        object: row.objectKey,
        method: row.method,
        module: row.module ?? null,
        path: row.path,
        attempts: row.attempts,
        last_error: row.lastError ?? null,
        created_at: new Date(row.createdAtMs).toISOString(),
      }),
    );
    const name = partner.name ?? partner.roles?.find((r) => r.business_details?.name)?.business_details?.name ?? null;
    return { partner_id: partner.id, name, status: partner.status, counts, counts_capped: open.length >= DEV_LIMITS.deliveryCount, latest };
  });
}

/** As the operator API says it: "failed" is a pending row that already failed at least once. */
function stateOf(row: Delivery): DevDelivery['state'] {
  return row.status === 'pending' && row.attempts > 0 ? 'failed' : row.status;
}
