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

/** What a charge point has reported, keyed "evseId" or "evseId.connectorId" ("0" = the whole station). */
export interface ReportedStatuses {
  protocol?: 'ocpp1.6' | 'ocpp2.0.1';
  evses: Record<string, { status: string }>;
}

export const statusKey = (evseId: number, connectorId?: number) => (connectorId === undefined ? String(evseId) : `${evseId}.${connectorId}`);

/**
 * The OCPI status of one EVSE (OCPP evse id) from everything its station reported: its connectors' statuses
 * combined, the station-level override on top (ocpp-notes §3.3), UNKNOWN once the station is offline past its
 * grace. Undefined when nothing is known about that EVSE (its status stays as configured).
 */
export function evseStatusOf(station: ReportedStatuses, ocppEvseId: number, online: boolean): Status | undefined {
  if (!online) return 'UNKNOWN';
  const map = (status: string) =>
    station.protocol === 'ocpp2.0.1' ? ocpp201StatusToOcpi(status as Ocpp201ConnectorStatus) : ocpp16StatusToOcpi(status as Ocpp16ChargePointStatus);
  const own = Object.entries(station.evses)
    .filter(([key]) => key === String(ocppEvseId) || key.startsWith(`${ocppEvseId}.`))
    .map(([, reported]) => map(reported.status));
  const stationLevel = station.evses['0']?.status;
  const override = stationLevel ? stationOverride(stationLevel as Ocpp16ChargePointStatus) : undefined;
  if (own.length === 0) return override;
  return applyStationOverride(combineConnectorStatuses(own), override);
}
