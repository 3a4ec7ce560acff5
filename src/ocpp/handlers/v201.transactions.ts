import { normalizeOcpp201MeterValues } from '../../domain/meter-values/normalize.ts';
import { ocpp201ChargingActivity } from '../../domain/charging-activity.ts';
import { CallError } from '../rpc/call-errors.ts';
import type { HandlerTable } from '../ocpp-gateway.ts';
import { idTokenStatus, tokenTypeOf } from './authorization-status.ts';
import type { OcppHandlerDeps } from './handler-deps.ts';
import { lastRegister, measured, stationInstant, stationTime, toReadings } from './readings.ts';


/**
 * OCPP 2.0.1 TransactionEvent: Started / Updated / Ended in one message, transaction ids chosen by the station,
 * and (station, transactionId, seqNo) identifying a retransmission, which is answered without being applied again.
 */
export function v201Transactions({ sessions, authorizer }: OcppHandlerDeps): HandlerTable {
  return {
    TransactionEvent: async ({ chargePointId }, p) => {
      const transactionId: string = p.transactionInfo.transactionId;
      const authorization = p.idToken ? await authorizer.authorize(chargePointId, p.idToken.idToken, tokenTypeOf(p.idToken.type), p.evse?.id) : undefined;
      const answer = authorization ? { idTokenInfo: { status: idTokenStatus[authorization.decision] } } : {};
      if (sessions.seenTransactionEvent(chargePointId, transactionId, p.seqNo)) return answer;
      const at = stationTime(p.timestamp);
      const readings = toReadings(measured(() => normalizeOcpp201MeterValues(p.meterValue ?? [])));
      let id = sessions.byTransaction(chargePointId, transactionId);
      if (!id) {
        // The first event we see starts the session, even if a queued Started got lost.
        if (p.evse?.id === undefined) throw new CallError('Occurrence', 'evse is required in the first TransactionEvent of a transaction');
        const meterStartKwh = readings.find((r) => r.energyKwh !== undefined)?.energyKwh;
        id = sessions.start({
          chargePointId,
          protocol: 'ocpp2.0.1',
          transactionId,
          ocppEvseId: p.evse.id,
          startAt: at,
          ...(meterStartKwh !== undefined ? { meterStartKwh } : {}),
          ...(authorization ? { authorization } : {}),
          ...(p.reservationId !== undefined ? { reservationId: p.reservationId } : {}),
        });
      } else if (authorization) sessions.authorize(id, authorization);
      sessions.meter(id, readings);
      const state = p.transactionInfo.chargingState;
      if (state) sessions.chargingState(id, stationInstant(p.timestamp), !ocpp201ChargingActivity(state, { afterCharging: sessions.hasCharged(id) }).parking);
      if (p.eventType === 'Ended') sessions.stop(id, at, lastRegister(readings), p.transactionInfo.stoppedReason);
      sessions.markTransactionEvent(chargePointId, transactionId, p.seqNo);
      return answer;
    },
  };
}
