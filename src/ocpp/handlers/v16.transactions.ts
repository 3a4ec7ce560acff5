import Big from 'big.js';
import { normalizeOcpp16MeterValues } from '../../domain/meter-values/normalize.ts';
import { ocpp16ChargingActivity } from '../../domain/charging-activity.ts';
import type { Ocpp16ChargePointStatus } from '../../domain/ocpp-status-map.ts';
import type { HandlerTable } from '../ocpp-gateway.ts';
import { idTagStatus } from './authorization-status.ts';
import type { OcppHandlerDeps } from './handler-deps.ts';
import { measured, stationTime, toReadings } from './readings.ts';

const wh = (value: number) => new Big(value).div(1000).toString();

/**
 * OCPP 1.6 transactions. Stations queue and retransmit these while offline: a repeated StartTransaction gets the
 * same transactionId, a StopTransaction for a finished or unknown transaction is answered and changes nothing.
 */
export function v16Transactions({ sessions, authorizer, commands }: OcppHandlerDeps): HandlerTable {
  return {
    StartTransaction: async ({ chargePointId }, p) => {
      const authorization = await authorizer.authorize(chargePointId, p.idTag, 'RFID', p.connectorId);
      const startAt = stationTime(p.timestamp);
      // We must always answer with a transactionId (OCPP 1.6 §4.8), refusing through idTagInfo if need be.
      const transactionId = sessions.ocpp16TransactionId({ chargePointId, connectorId: p.connectorId, idTag: p.idTag, timestamp: startAt, meterStart: p.meterStart });
      sessions.start({
        chargePointId,
        protocol: 'ocpp1.6',
        transactionId: String(transactionId),
        ocppEvseId: p.connectorId,
        startAt,
        meterStartKwh: wh(p.meterStart),
        authorization,
        ...(p.reservationId !== undefined ? { reservationId: p.reservationId } : {}),
      });
      if (p.reservationId !== undefined && authorization.decision === 'ALLOWED') commands.reservationUsed(p.reservationId);
      return { transactionId, idTagInfo: { status: idTagStatus[authorization.decision] } };
    },
    MeterValues: ({ chargePointId }, p) => {
      // Checked even when no session takes them (an idle connector's clock-aligned values): a bad value is answered as one.
      const readings = measured(() => normalizeOcpp16MeterValues(p.meterValue));
      const id = p.transactionId !== undefined ? sessions.byTransaction(chargePointId, String(p.transactionId)) : sessions.runningOn(chargePointId, p.connectorId);
      if (id) sessions.meter(id, toReadings(readings));
      return {};
    },
    StopTransaction: async ({ chargePointId }, p) => {
      const id = sessions.byTransaction(chargePointId, String(p.transactionId));
      if (id) {
        sessions.meter(id, toReadings(measured(() => normalizeOcpp16MeterValues(p.transactionData ?? [], 'transactionData'))));
        sessions.stop(id, stationTime(p.timestamp), wh(p.meterStop), p.reason);
      }
      return p.idTag ? { idTagInfo: { status: idTagStatus[(await authorizer.authorize(chargePointId, p.idTag, 'RFID')).decision] } } : {};
    },
  };
}

/** A connector's status during a transaction tells charging from parking (OCPI PARKING_TIME: EV not requesting). */
export function chargingStateFrom16(deps: OcppHandlerDeps, chargePointId: string, connectorId: number, status: Ocpp16ChargePointStatus, at: string) {
  if (connectorId === 0 || !['Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Preparing'].includes(status)) return;
  const id = deps.sessions.runningOn(chargePointId, connectorId);
  if (id) deps.sessions.chargingState(id, at, !ocpp16ChargingActivity(status).parking);
}
