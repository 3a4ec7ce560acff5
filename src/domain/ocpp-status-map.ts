/**
 * OCPP → OCPI EVSE status mapping, as tabled in shared/spec/ocpp-notes.md §3.3: per connector, the station-level
 * override, several connectors to one EVSE, and UNKNOWN after an offline grace. Pure functions, no I/O and no
 * clock: callers pass the time in. (The charging/parking classification of sub-states: ./charging-activity.ts.)
 *
 * THE TABLE (ocpp-notes §3.3):
 *
 * | OCPP 1.6 ChargePointStatus                                | OCPP 2.0.1 ConnectorStatusEnumType     | OCPI Status       |
 * |-----------------------------------------------------------|----------------------------------------|-------------------|
 * | Available                                                 | Available                              | AVAILABLE         |
 * | Preparing, Charging, SuspendedEV, SuspendedEVSE, Finishing | Occupied (any chargingState)           | CHARGING (in use) |
 * | Reserved                                                  | Reserved                               | RESERVED          |
 * | Unavailable                                               | Unavailable                            | INOPERATIVE       |
 * | Faulted                                                   | Faulted                                | OUTOFORDER        |
 * | connectorId 0 Unavailable / Faulted                       | station level Unavailable / Faulted    | every EVSE of the station INOPERATIVE / OUTOFORDER (overrides) |
 * | station offline (socket closed / heartbeats missed)       | same                                   | UNKNOWN after a grace period; last real status restored on reconnect |
 *
 * Not derived from OCPP (so never produced here, and never overridden here): BLOCKED (bay occupancy sensor),
 * PLANNED (commissioned, never booted), REMOVED (decommissioned).
 *
 * Push an EVSE PATCH only when the mapped OCPI status changes (Preparing → Charging is not a change).
 */
import type { Status } from '../model/ocpi/evse.ts';

/** OCPP 1.6 StatusNotification.status (1.6 JSON schema order). */
export const OCPP16_CHARGE_POINT_STATUSES = [
  'Available',
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
  'Finishing',
  'Reserved',
  'Unavailable',
  'Faulted',
] as const;
export type Ocpp16ChargePointStatus = (typeof OCPP16_CHARGE_POINT_STATUSES)[number];

/** OCPP 2.0.1 StatusNotificationRequest.connectorStatus (ConnectorStatusEnumType). */
export const OCPP201_CONNECTOR_STATUSES = ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'] as const;
export type Ocpp201ConnectorStatus = (typeof OCPP201_CONNECTOR_STATUSES)[number];

const OCPP16_TO_OCPI: Readonly<Record<Ocpp16ChargePointStatus, Status>> = {
  Available: 'AVAILABLE',
  // All "in use" sub-states are one OCPI status; the sub-state only matters for charging periods.
  Preparing: 'CHARGING',
  Charging: 'CHARGING',
  SuspendedEVSE: 'CHARGING',
  SuspendedEV: 'CHARGING',
  Finishing: 'CHARGING',
  Reserved: 'RESERVED',
  Unavailable: 'INOPERATIVE',
  Faulted: 'OUTOFORDER',
};

const OCPP201_TO_OCPI: Readonly<Record<Ocpp201ConnectorStatus, Status>> = {
  Available: 'AVAILABLE',
  Occupied: 'CHARGING',
  Reserved: 'RESERVED',
  Unavailable: 'INOPERATIVE',
  Faulted: 'OUTOFORDER',
};

/** OCPP 1.6 StatusNotification.status of a connector (connectorId ≥ 1) → OCPI EVSE status. */
export function ocpp16StatusToOcpi(status: Ocpp16ChargePointStatus): Status {
  const mapped = Object.hasOwn(OCPP16_TO_OCPI, status) ? OCPP16_TO_OCPI[status] : undefined;
  if (mapped === undefined) throw new RangeError(`unknown OCPP 1.6 ChargePointStatus: ${JSON.stringify(status)}`);
  return mapped;
}

/** OCPP 2.0.1 StatusNotification.connectorStatus → OCPI EVSE status (chargingState does not matter). */
export function ocpp201StatusToOcpi(status: Ocpp201ConnectorStatus): Status {
  const mapped = Object.hasOwn(OCPP201_TO_OCPI, status) ? OCPP201_TO_OCPI[status] : undefined;
  if (mapped === undefined) throw new RangeError(`unknown OCPP 2.0.1 ConnectorStatusEnumType: ${JSON.stringify(status)}`);
  return mapped;
}

/** 1.6: `connectorId` 0 addresses the whole charge point. */
export function isStationLevel16(connectorId: number): boolean {
  return connectorId === 0;
}

/**
 * 2.0.1: a status without `evseId` (or with evseId 0, the station itself as in MeterValues) is station level.
 * The 2.0.1 schema makes `evseId` required, so a strict station never sends one; we accept it defensively.
 */
export function isStationLevel201(evseId: number | undefined): boolean {
  return evseId === undefined || evseId === 0;
}

/** The OCPI status a station-level state forces on all its EVSEs. */
export type StationOverride = 'INOPERATIVE' | 'OUTOFORDER';

/**
 * Station-level status (1.6 connectorId 0, 2.0.1 station level) → the override it imposes on every EVSE of
 * the station: Unavailable → INOPERATIVE, Faulted → OUTOFORDER; anything else (Available…) lifts the override,
 * and each EVSE shows its own status again.
 */
export function stationOverride(status: Ocpp16ChargePointStatus | Ocpp201ConnectorStatus): StationOverride | undefined {
  if (status === 'Unavailable') return 'INOPERATIVE';
  if (status === 'Faulted') return 'OUTOFORDER';
  return undefined;
}

/** Back-office lifecycle statuses that no OCPP state (station level or connection) overrides. */
function isBackOfficeStatus(status: Status): boolean {
  return status === 'PLANNED' || status === 'REMOVED';
}

/** An EVSE's own status with the station-level override applied (PLANNED/REMOVED are kept). */
export function applyStationOverride(evseStatus: Status, override: StationOverride | undefined): Status {
  if (override === undefined || isBackOfficeStatus(evseStatus)) return evseStatus;
  return override;
}

/**
 * Precedence when several connectors make up one OCPI EVSE (2.0.1 EVSEs with several connectors; 1.6 stations
 * that group connectors into one EVSE): the EVSE is in use if any connector is, else reserved if any is, else
 * usable if any connector is available; only when no connector is usable does a problem status show.
 */
const EVSE_PRECEDENCE: readonly Status[] = [
  'CHARGING',
  'RESERVED',
  'AVAILABLE',
  'BLOCKED',
  'OUTOFORDER',
  'INOPERATIVE',
  'UNKNOWN',
  'PLANNED',
  'REMOVED',
];

/** One EVSE status from the mapped statuses of its connectors (none known → UNKNOWN). */
export function combineConnectorStatuses(statuses: readonly Status[]): Status {
  for (const candidate of EVSE_PRECEDENCE) if (statuses.includes(candidate)) return candidate;
  return 'UNKNOWN';
}

/** The station's WebSocket connection as the caller knows it; all times in epoch milliseconds. */
export interface StationConnection {
  connected: boolean;
  /** When the socket closed / heartbeats were declared missed. Unknown → treated as long ago. */
  disconnectedSince?: number;
  /** How long a disconnected station keeps its last real statuses before they turn UNKNOWN. */
  graceMs: number;
  nowMs: number;
}

/**
 * Epoch ms at which a disconnected station's EVSEs turn UNKNOWN (for scheduling the re-check), or undefined
 * while connected. After a CSMS restart pass the process start time as `disconnectedSince` for stations that
 * have not reconnected yet, so they get their grace period instead of turning UNKNOWN at once.
 */
export function unknownFrom(connection: StationConnection): number | undefined {
  if (connection.connected) return undefined;
  if (connection.disconnectedSince === undefined) return Number.NEGATIVE_INFINITY;
  return connection.disconnectedSince + connection.graceMs;
}

/**
 * The EVSE status to publish given the station's connection and the last real status (already mapped, with
 * any station override applied; undefined if the EVSE never reported one): connected or within the grace
 * period → the last real status; disconnected for graceMs or longer → UNKNOWN. PLANNED/REMOVED stay as they
 * are. On reconnect the caller should TriggerMessage StatusNotification; until then the last status stands.
 */
export function publishedEvseStatus(connection: StationConnection, lastRealStatus: Status | undefined): Status {
  if (lastRealStatus !== undefined && isBackOfficeStatus(lastRealStatus)) return lastRealStatus;
  const cutoff = unknownFrom(connection);
  if (cutoff !== undefined && connection.nowMs >= cutoff) return 'UNKNOWN';
  return lastRealStatus ?? 'UNKNOWN';
}

/** Everything in one call: EVSE's own status → station override → connection state. */
export function resolveEvseStatus(input: {
  /** The EVSE's own mapped status (combine connectors first); undefined if never reported. */
  evseStatus: Status | undefined;
  /** From the latest station-level StatusNotification, if any. */
  stationOverride?: StationOverride;
  connection: StationConnection;
}): Status {
  const real =
    input.evseStatus === undefined
      ? input.stationOverride
      : applyStationOverride(input.evseStatus, input.stationOverride);
  return publishedEvseStatus(input.connection, real);
}
