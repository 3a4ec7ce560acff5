/**
 * The charging/parking classification of OCPP charging sub-states used to build ChargingPeriods (ocpp-notes §3.4;
 * OCPI digest 5.3 PARKING_TIME with the post-d2 erratum). Pure functions, no I/O.
 */
import type { Ocpp16ChargePointStatus } from './ocpp-status-map.ts';

/** OCPP 2.0.1 TransactionEventRequest.transactionInfo.chargingState (ChargingStateEnumType). */
export const OCPP201_CHARGING_STATES = ['Charging', 'EVConnected', 'SuspendedEV', 'SuspendedEVSE', 'Idle'] as const;
export type Ocpp201ChargingState = (typeof OCPP201_CHARGING_STATES)[number];

/**
 * How a transaction sub-state counts for ChargingPeriods.
 * - `charging`: energy is flowing to the EV.
 * - `parking`: OCPI PARKING_TIME — the vehicle is not requesting power. Per the post-d2 erratum, time in which
 *   the EV wants power but the EVSE does not deliver (load management, not yet authorised, fault) is not
 *   parking time. Inside a session every moment that is not parking is charging time, i.e. `TIME`
 *   (OCPI: charging time = total_time - total_parking_time) — see `periodTimeDimension`.
 */
export interface ChargingActivity {
  charging: boolean;
  parking: boolean;
}

const ACTIVE: ChargingActivity = Object.freeze({ charging: true, parking: false });
const PARKING: ChargingActivity = Object.freeze({ charging: false, parking: true });
const WAITING: ChargingActivity = Object.freeze({ charging: false, parking: false });

const OCPP16_ACTIVITY: Readonly<Record<Ocpp16ChargePointStatus, ChargingActivity>> = {
  Charging: ACTIVE,
  // EVSE offers energy, the EV does not take it: the EV is not requesting power.
  SuspendedEV: PARKING,
  // EVSE does not offer energy (smart charging, supply limits…): the EV wants power → not parking (erratum).
  SuspendedEVSE: WAITING,
  // Transaction not (yet) started / EV not yet asked for power: not charging, and the EV has not declined.
  Preparing: WAITING,
  // Transaction stopped, cable still in or vehicle still in the bay: the EV no longer requests power.
  Finishing: PARKING,
  // Not transaction sub-states; during a transaction Unavailable/Faulted mean the EVSE cannot deliver.
  Available: WAITING,
  Reserved: WAITING,
  Unavailable: WAITING,
  Faulted: WAITING,
};

/** OCPP 1.6 StatusNotification.status → charging/parking for charging periods. */
export function ocpp16ChargingActivity(status: Ocpp16ChargePointStatus): ChargingActivity {
  const activity = Object.hasOwn(OCPP16_ACTIVITY, status) ? OCPP16_ACTIVITY[status] : undefined;
  if (activity === undefined) throw new RangeError(`unknown OCPP 1.6 ChargePointStatus: ${JSON.stringify(status)}`);
  return activity;
}

/**
 * OCPP 2.0.1 TransactionEvent `transactionInfo.chargingState` → charging/parking.
 * - Charging → charging; SuspendedEV → parking; SuspendedEVSE → not parking (EV wants power, erratum).
 * - EVConnected and Idle are ambiguous in 2.0.1: before the first energy transfer they are the 1.6
 *   `Preparing` (authorised but not yet plugged in / EV not yet asked for power: not parking); after charging
 *   (EV still plugged in but transaction deauthorised, or cable already pulled while the transaction runs on)
 *   they are the 1.6 `Finishing` (nothing requests power: parking). Pass `afterCharging: true` once the
 *   transaction has been in `Charging`.
 */
export function ocpp201ChargingActivity(
  state: Ocpp201ChargingState,
  context: { afterCharging?: boolean } = {},
): ChargingActivity {
  switch (state) {
    case 'Charging':
      return ACTIVE;
    case 'SuspendedEV':
      return PARKING;
    case 'SuspendedEVSE':
      return WAITING;
    case 'Idle':
    case 'EVConnected':
      return context.afterCharging ? PARKING : WAITING;
    default:
      throw new RangeError(`unknown OCPP 2.0.1 ChargingStateEnumType: ${JSON.stringify(state satisfies never)}`);
  }
}

/** The CdrDimensionType a stretch of session time goes into. */
export function periodTimeDimension(activity: ChargingActivity): 'TIME' | 'PARKING_TIME' {
  return activity.parking ? 'PARKING_TIME' : 'TIME';
}
