import type { HandlerTable } from '../ocpp-gateway.ts';
import { idTokenStatus, tokenTypeOf } from './authorization-status.ts';
import type { OcppHandlerDeps } from './handler-deps.ts';
import { v201SmartCharging } from './v201.smart-charging.ts';
import { v201Transactions } from './v201.transactions.ts';



/** OCPP 2.0.1 station → CSMS actions, including what stations send while booting so they are not refused. */
export function v201Handlers(deps: OcppHandlerDeps): HandlerTable {
  const { chargePoints, authorizer, config, clock } = deps;
  const now = () => clock.now().toISOString();
  const acknowledge = ({ chargePointId }: { chargePointId: string }) => {
    chargePoints.seen(chargePointId);
    return {};
  };
  return {
    BootNotification: ({ chargePointId }, p) => {
      chargePoints.booted(chargePointId, {
        vendor: p.chargingStation.vendorName,
        model: p.chargingStation.model,
        serialNumber: p.chargingStation.serialNumber,
        firmwareVersion: p.chargingStation.firmwareVersion,
      });
      return { status: 'Accepted', currentTime: now(), interval: config.heartbeatIntervalSeconds };
    },
    Heartbeat: ({ chargePointId }) => {
      chargePoints.seen(chargePointId);
      return { currentTime: now() };
    },
    StatusNotification: ({ chargePointId }, p) => {
      chargePoints.connectorStatus(chargePointId, p.evseId, p.connectorStatus, undefined, p.evseId === 0 ? undefined : p.connectorId);
      return {};
    },
    Authorize: async ({ chargePointId }, p) => {
      chargePoints.seen(chargePointId);
      const { decision } = await authorizer.authorize(chargePointId, p.idToken.idToken, tokenTypeOf(p.idToken.type));
      return { idTokenInfo: { status: idTokenStatus[decision] } };
    },
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
    NotifyEvent: acknowledge,
    NotifyReport: acknowledge,
    SecurityEventNotification: acknowledge,
    FirmwareStatusNotification: acknowledge,
    LogStatusNotification: acknowledge,
    NotifyMonitoringReport: acknowledge,
    MeterValues: acknowledge,
    ...v201Transactions(deps),
    ...v201SmartCharging(deps),
  };
}
