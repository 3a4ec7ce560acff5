/** The OCPP → OCPI status table (ocpp-notes §3.3) and the charging/parking classification (§3.4, OCPI erratum). */
import { describe, expect, test } from 'bun:test';
import { Value } from '@sinclair/typebox/value';
import { Status } from '../../src/model/ocpi/evse.ts';
import {
  OCPP16_CHARGE_POINT_STATUSES,
  OCPP201_CONNECTOR_STATUSES,
  applyStationOverride,
  combineConnectorStatuses,
  isStationLevel16,
  isStationLevel201,
  ocpp16StatusToOcpi,
  ocpp201StatusToOcpi,
  publishedEvseStatus,
  resolveEvseStatus,
  stationOverride,
  unknownFrom,
  type Ocpp16ChargePointStatus,
  type Ocpp201ConnectorStatus,
  type StationConnection,
} from '../../src/domain/ocpp-status-map.ts';
import {
  OCPP201_CHARGING_STATES,
  ocpp16ChargingActivity,
  ocpp201ChargingActivity,
  periodTimeDimension,
  type Ocpp201ChargingState,
} from '../../src/domain/charging-activity.ts';
import type { Status as StatusType } from '../../src/model/ocpi/evse.ts';
import { ocpp16Schemas, ocpp201Schemas } from '../support/ocpp-schemas.ts';

const ALL_OCPI: StatusType[] = Status.anyOf.map((literal) => literal.const);

describe('enums match the official OCPP JSON schemas', () => {
  const schema16 = (ocpp16Schemas as any[]).find((s) => s.$id === 'urn:StatusNotification.req');
  const schema201 = (ocpp201Schemas as any[]).find((s) => s.$id === 'urn:StatusNotification.req');
  const event201 = (ocpp201Schemas as any[]).find((s) => s.$id === 'urn:TransactionEvent.req');

  test('1.6 ChargePointStatus', () => {
    expect([...OCPP16_CHARGE_POINT_STATUSES]).toEqual(schema16.properties.status.enum);
  });
  test('2.0.1 ConnectorStatusEnumType', () => {
    expect([...OCPP201_CONNECTOR_STATUSES]).toEqual(schema201.definitions.ConnectorStatusEnumType.enum);
  });
  test('2.0.1 ChargingStateEnumType', () => {
    expect([...OCPP201_CHARGING_STATES]).toEqual(event201.definitions.ChargingStateEnumType.enum);
  });
});

describe('connector status → OCPI EVSE status (the table)', () => {
  const TABLE_16: Record<Ocpp16ChargePointStatus, StatusType> = {
    Available: 'AVAILABLE',
    Preparing: 'CHARGING',
    Charging: 'CHARGING',
    SuspendedEVSE: 'CHARGING',
    SuspendedEV: 'CHARGING',
    Finishing: 'CHARGING',
    Reserved: 'RESERVED',
    Unavailable: 'INOPERATIVE',
    Faulted: 'OUTOFORDER',
  };
  const TABLE_201: Record<Ocpp201ConnectorStatus, StatusType> = {
    Available: 'AVAILABLE',
    Occupied: 'CHARGING',
    Reserved: 'RESERVED',
    Unavailable: 'INOPERATIVE',
    Faulted: 'OUTOFORDER',
  };

  for (const status of OCPP16_CHARGE_POINT_STATUSES) {
    test(`1.6 ${status} → ${TABLE_16[status]}`, () => {
      expect(ocpp16StatusToOcpi(status)).toBe(TABLE_16[status]);
      expect(Value.Check(Status, ocpp16StatusToOcpi(status))).toBe(true);
    });
  }
  for (const status of OCPP201_CONNECTOR_STATUSES) {
    test(`2.0.1 ${status} → ${TABLE_201[status]}`, () => {
      expect(ocpp201StatusToOcpi(status)).toBe(TABLE_201[status]);
    });
  }

  test('both versions agree on the shared names', () => {
    for (const status of ['Available', 'Reserved', 'Unavailable', 'Faulted'] as const) {
      expect(ocpp16StatusToOcpi(status)).toBe(ocpp201StatusToOcpi(status));
    }
  });

  test('Preparing → Charging is not a change of OCPI status (no PATCH)', () => {
    expect(ocpp16StatusToOcpi('Preparing')).toBe(ocpp16StatusToOcpi('Charging'));
    expect(ocpp16StatusToOcpi('SuspendedEV')).toBe(ocpp16StatusToOcpi('Finishing'));
  });

  test('BLOCKED, PLANNED, REMOVED and UNKNOWN never come from a connector status', () => {
    const produced = new Set([...OCPP16_CHARGE_POINT_STATUSES.map(ocpp16StatusToOcpi), ...OCPP201_CONNECTOR_STATUSES.map(ocpp201StatusToOcpi)]);
    expect(ALL_OCPI.filter((s) => !produced.has(s)).sort()).toEqual(['BLOCKED', 'PLANNED', 'REMOVED', 'UNKNOWN']);
  });

  test('unknown OCPP values throw a RangeError naming the value', () => {
    expect(() => ocpp16StatusToOcpi('Occupied' as Ocpp16ChargePointStatus)).toThrow(/1\.6 ChargePointStatus: "Occupied"/);
    expect(() => ocpp201StatusToOcpi('Charging' as Ocpp201ConnectorStatus)).toThrow(/2\.0\.1 ConnectorStatusEnumType: "Charging"/);
    expect(() => ocpp16StatusToOcpi('available' as Ocpp16ChargePointStatus)).toThrow(RangeError);
    expect(() => ocpp16StatusToOcpi('toString' as Ocpp16ChargePointStatus)).toThrow(RangeError);
  });
});

describe('station-level status', () => {
  test('which messages are station level', () => {
    expect(isStationLevel16(0)).toBe(true);
    expect(isStationLevel16(1)).toBe(false);
    expect(isStationLevel201(undefined)).toBe(true);
    expect(isStationLevel201(0)).toBe(true);
    expect(isStationLevel201(1)).toBe(false);
  });

  test('Unavailable → INOPERATIVE, Faulted → OUTOFORDER, anything else lifts the override', () => {
    expect(stationOverride('Unavailable')).toBe('INOPERATIVE');
    expect(stationOverride('Faulted')).toBe('OUTOFORDER');
    for (const status of [...OCPP16_CHARGE_POINT_STATUSES, ...OCPP201_CONNECTOR_STATUSES]) {
      if (status !== 'Unavailable' && status !== 'Faulted') expect(stationOverride(status)).toBeUndefined();
    }
  });

  test('the override replaces every EVSE status except PLANNED/REMOVED', () => {
    for (const evse of ALL_OCPI) {
      const expected = evse === 'PLANNED' || evse === 'REMOVED';
      expect(applyStationOverride(evse, 'INOPERATIVE')).toBe(expected ? evse : 'INOPERATIVE');
      expect(applyStationOverride(evse, 'OUTOFORDER')).toBe(expected ? evse : 'OUTOFORDER');
      expect(applyStationOverride(evse, undefined)).toBe(evse);
    }
  });

  test('a charge point going Unavailable at connector 0 takes all its EVSEs down, Available restores them', () => {
    const evses: StatusType[] = ['AVAILABLE', 'CHARGING', 'RESERVED', 'OUTOFORDER'];
    const down = stationOverride('Unavailable');
    expect(evses.map((s) => applyStationOverride(s, down))).toEqual(['INOPERATIVE', 'INOPERATIVE', 'INOPERATIVE', 'INOPERATIVE']);
    const up = stationOverride('Available');
    expect(evses.map((s) => applyStationOverride(s, up))).toEqual(evses);
  });
});

describe('several connectors on one EVSE', () => {
  test('in use beats reserved beats available beats problems', () => {
    expect(combineConnectorStatuses(['INOPERATIVE', 'CHARGING'])).toBe('CHARGING');
    expect(combineConnectorStatuses(['RESERVED', 'AVAILABLE'])).toBe('RESERVED');
    expect(combineConnectorStatuses(['OUTOFORDER', 'AVAILABLE'])).toBe('AVAILABLE');
    expect(combineConnectorStatuses(['UNKNOWN', 'AVAILABLE'])).toBe('AVAILABLE');
    expect(combineConnectorStatuses(['INOPERATIVE', 'OUTOFORDER'])).toBe('OUTOFORDER');
    expect(combineConnectorStatuses(['INOPERATIVE', 'UNKNOWN'])).toBe('INOPERATIVE');
    expect(combineConnectorStatuses([])).toBe('UNKNOWN');
  });

  test('a single connector is the EVSE', () => {
    for (const status of ALL_OCPI) expect(combineConnectorStatuses([status])).toBe(status);
  });
});

describe('connection state and the grace period', () => {
  const GRACE = 120_000;
  /** Connected unless `disconnectedSince` is given. */
  const at = (nowMs: number, disconnectedSince?: number): StationConnection =>
    disconnectedSince === undefined
      ? { connected: true, graceMs: GRACE, nowMs }
      : { connected: false, disconnectedSince, graceMs: GRACE, nowMs };

  test('connected: the last real status is published', () => {
    for (const status of ALL_OCPI) expect(publishedEvseStatus(at(1_000), status)).toBe(status);
    expect(unknownFrom(at(1_000))).toBeUndefined();
  });

  test('connected but never reported → UNKNOWN', () => {
    expect(publishedEvseStatus(at(1_000), undefined)).toBe('UNKNOWN');
  });

  test('disconnected within the grace period keeps the last status; at the end of it → UNKNOWN', () => {
    const since = 1_000_000;
    expect(unknownFrom(at(since, since))).toBe(since + GRACE);
    expect(publishedEvseStatus(at(since, since), 'CHARGING')).toBe('CHARGING');
    expect(publishedEvseStatus(at(since + GRACE - 1, since), 'CHARGING')).toBe('CHARGING');
    expect(publishedEvseStatus(at(since + GRACE, since), 'CHARGING')).toBe('UNKNOWN');
    expect(publishedEvseStatus(at(since + 10 * GRACE, since), 'AVAILABLE')).toBe('UNKNOWN');
    // Clock skew (now before the disconnect) is within the grace period.
    expect(publishedEvseStatus(at(since - 5_000, since), 'AVAILABLE')).toBe('AVAILABLE');
  });

  test('disconnected since an unknown time → UNKNOWN at once', () => {
    const connection: StationConnection = { connected: false, graceMs: GRACE, nowMs: 0 };
    expect(publishedEvseStatus(connection, 'AVAILABLE')).toBe('UNKNOWN');
    expect(unknownFrom(connection)).toBe(Number.NEGATIVE_INFINITY);
  });

  test('graceMs 0 turns UNKNOWN immediately', () => {
    expect(publishedEvseStatus({ connected: false, disconnectedSince: 5, graceMs: 0, nowMs: 5 }, 'AVAILABLE')).toBe('UNKNOWN');
  });

  test('PLANNED and REMOVED are back-office states and survive a disconnect', () => {
    expect(publishedEvseStatus(at(10 * GRACE, 0), 'REMOVED')).toBe('REMOVED');
    expect(publishedEvseStatus(at(10 * GRACE, 0), 'PLANNED')).toBe('PLANNED');
  });

  test('reconnect restores the last real status', () => {
    expect(publishedEvseStatus(at(10 * GRACE, 0), 'RESERVED')).toBe('UNKNOWN');
    expect(publishedEvseStatus(at(10 * GRACE + 1), 'RESERVED')).toBe('RESERVED');
  });

  test('resolveEvseStatus composes EVSE status, station override and connection', () => {
    const connected = at(0);
    expect(resolveEvseStatus({ evseStatus: 'CHARGING', connection: connected })).toBe('CHARGING');
    expect(resolveEvseStatus({ evseStatus: 'CHARGING', stationOverride: 'OUTOFORDER', connection: connected })).toBe('OUTOFORDER');
    expect(resolveEvseStatus({ evseStatus: undefined, stationOverride: 'INOPERATIVE', connection: connected })).toBe('INOPERATIVE');
    expect(resolveEvseStatus({ evseStatus: undefined, connection: connected })).toBe('UNKNOWN');
    expect(resolveEvseStatus({ evseStatus: 'REMOVED', stationOverride: 'INOPERATIVE', connection: connected })).toBe('REMOVED');
    expect(resolveEvseStatus({ evseStatus: 'CHARGING', stationOverride: 'OUTOFORDER', connection: at(GRACE, 0) })).toBe('UNKNOWN');
    expect(resolveEvseStatus({ evseStatus: 'CHARGING', stationOverride: 'OUTOFORDER', connection: at(GRACE - 1, 0) })).toBe('OUTOFORDER');
  });
});

describe('charging vs parking (charging periods)', () => {
  const TABLE_16: Record<Ocpp16ChargePointStatus, [charging: boolean, parking: boolean]> = {
    Charging: [true, false],
    SuspendedEV: [false, true], // EV not requesting power
    SuspendedEVSE: [false, false], // EV wants power, EVSE holds back: not parking (OCPI erratum)
    Preparing: [false, false],
    Finishing: [false, true],
    Available: [false, false],
    Reserved: [false, false],
    Unavailable: [false, false],
    Faulted: [false, false],
  };

  for (const status of OCPP16_CHARGE_POINT_STATUSES) {
    test(`1.6 ${status}: charging=${TABLE_16[status][0]}, parking=${TABLE_16[status][1]}`, () => {
      const [charging, parking] = TABLE_16[status];
      expect(ocpp16ChargingActivity(status)).toEqual({ charging, parking });
    });
  }

  const TABLE_201: Record<Ocpp201ChargingState, { before: [boolean, boolean]; after: [boolean, boolean] }> = {
    Charging: { before: [true, false], after: [true, false] },
    SuspendedEV: { before: [false, true], after: [false, true] },
    SuspendedEVSE: { before: [false, false], after: [false, false] },
    EVConnected: { before: [false, false], after: [false, true] },
    Idle: { before: [false, false], after: [false, true] },
  };

  for (const state of OCPP201_CHARGING_STATES) {
    test(`2.0.1 ${state}`, () => {
      const { before, after } = TABLE_201[state];
      expect(ocpp201ChargingActivity(state)).toEqual({ charging: before[0], parking: before[1] });
      expect(ocpp201ChargingActivity(state, { afterCharging: false })).toEqual({ charging: before[0], parking: before[1] });
      expect(ocpp201ChargingActivity(state, { afterCharging: true })).toEqual({ charging: after[0], parking: after[1] });
    });
  }

  test('2.0.1 and 1.6 agree on the shared sub-states', () => {
    for (const state of ['Charging', 'SuspendedEV', 'SuspendedEVSE'] as const) {
      expect(ocpp201ChargingActivity(state)).toEqual(ocpp16ChargingActivity(state));
    }
    expect(ocpp201ChargingActivity('EVConnected')).toEqual(ocpp16ChargingActivity('Preparing'));
    expect(ocpp201ChargingActivity('EVConnected', { afterCharging: true })).toEqual(ocpp16ChargingActivity('Finishing'));
  });

  test('time dimension: PARKING_TIME only when parking; SuspendedEVSE counts as TIME', () => {
    expect(periodTimeDimension(ocpp16ChargingActivity('Charging'))).toBe('TIME');
    expect(periodTimeDimension(ocpp16ChargingActivity('SuspendedEVSE'))).toBe('TIME');
    expect(periodTimeDimension(ocpp16ChargingActivity('SuspendedEV'))).toBe('PARKING_TIME');
    expect(periodTimeDimension(ocpp16ChargingActivity('Finishing'))).toBe('PARKING_TIME');
    expect(periodTimeDimension(ocpp201ChargingActivity('SuspendedEVSE'))).toBe('TIME');
    expect(periodTimeDimension(ocpp201ChargingActivity('Idle', { afterCharging: true }))).toBe('PARKING_TIME');
  });

  test('a parking state is never charging', () => {
    for (const status of OCPP16_CHARGE_POINT_STATUSES) {
      const { charging, parking } = ocpp16ChargingActivity(status);
      expect(charging && parking).toBe(false);
    }
  });

  test('unknown values throw', () => {
    expect(() => ocpp16ChargingActivity('Occupied' as Ocpp16ChargePointStatus)).toThrow(RangeError);
    expect(() => ocpp201ChargingActivity('Finishing' as Ocpp201ChargingState)).toThrow(/ChargingStateEnumType: "Finishing"/);
  });

  test('returned objects are frozen (shared constants)', () => {
    expect(Object.isFrozen(ocpp16ChargingActivity('Charging'))).toBe(true);
  });
});
