import type { Status } from '../model/ocpi/evse.ts';
import {
  applyStationOverride,
  combineConnectorStatuses,
  ocpp16StatusToOcpi,
  ocpp201StatusToOcpi,
  stationOverride,
  type Ocpp16ChargePointStatus,
  type Ocpp201ConnectorStatus,
} from './ocpp-status-map.ts';

/** What a charge point has reported, by statusKey (evse 0 = the whole station). */
export interface ReportedStatuses {
  protocol?: 'ocpp1.6' | 'ocpp2.0.1';
  evses: Record<string, { status: string }>;
}

/**
 * "e<evseId>" or "e<evseId>.<connectorId>". The letter keeps the key from looking like an array index: JSON.stringify
 * of an object with integer-like keys ("1") took 1.6 µs against 0.35 µs, on every status a station reports.
 */
export const statusKey = (evseId: number, connectorId?: number) => (connectorId === undefined ? `e${evseId}` : `e${evseId}.${connectorId}`);

/** The EVSE and connector a statusKey names. */
export function parseStatusKey(key: string): { evseId: number; connectorId?: number } {
  const [evseId, connectorId] = key.slice(1).split('.').map(Number);
  return connectorId === undefined ? { evseId: evseId! } : { evseId: evseId!, connectorId };
}

/** The statuses reported for EVSE `ocppEvseId` (its own or its connectors'), without the station-level one. */
export function reportedFor(evses: ReportedStatuses['evses'], ocppEvseId: number): string[] {
  // Compared as text, without parsing every key: this runs for each EVSE of a station on every status it reports.
  const own = statusKey(ocppEvseId);
  const ofConnector = `${own}.`;
  return Object.entries(evses)
    .filter(([key]) => key === own || key.startsWith(ofConnector))
    .map(([, reported]) => reported.status);
}

/** What the station reported about itself as a whole (OCPP connector / EVSE 0). */
export const stationLevelStatus = (evses: ReportedStatuses['evses']) => evses[statusKey(0)]?.status;

/**
 * The OCPI status of one EVSE (OCPP evse id) from everything its station reported: its connectors' statuses
 * combined, the station-level override on top (ocpp-notes §3.3), UNKNOWN once the station is offline past its
 * grace. Undefined when nothing is known about that EVSE (its status stays as configured).
 */
export function evseStatusOf(station: ReportedStatuses, ocppEvseId: number, online: boolean): Status | undefined {
  if (!online) return 'UNKNOWN';
  const map = (status: string) =>
    station.protocol === 'ocpp2.0.1' ? ocpp201StatusToOcpi(status as Ocpp201ConnectorStatus) : ocpp16StatusToOcpi(status as Ocpp16ChargePointStatus);
  const own = reportedFor(station.evses, ocppEvseId).map(map);
  const stationLevel = stationLevelStatus(station.evses);
  const override = stationLevel ? stationOverride(stationLevel as Ocpp16ChargePointStatus) : undefined;
  if (own.length === 0) return override;
  return applyStationOverride(combineConnectorStatuses(own), override);
}
