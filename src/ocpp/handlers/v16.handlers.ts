import type { HandlerTable } from '../ocpp-gateway.ts';
import { idTagStatus } from './authorization-status.ts';
import type { OcppHandlerDeps } from './handler-deps.ts';
import { stationInstant } from './readings.ts';
import { chargingStateFrom16, v16Transactions } from './v16.transactions.ts';


/** OCPP 1.6J station → CSMS actions: each turns the frame into one actor call and renders the answer. */
export function v16Handlers(deps: OcppHandlerDeps): HandlerTable {
  const { chargePoints, authorizer, config, clock } = deps;
  const now = () => clock.now().toISOString();
  return {
    BootNotification: ({ chargePointId }, p) => {
      chargePoints.booted(chargePointId, {
        vendor: p.chargePointVendor,
        model: p.chargePointModel,
        serialNumber: p.chargePointSerialNumber ?? p.chargeBoxSerialNumber,
        firmwareVersion: p.firmwareVersion,
      });
      return { status: 'Accepted', currentTime: now(), interval: config.heartbeatIntervalSeconds };
    },
    Heartbeat: ({ chargePointId }) => {
      chargePoints.seen(chargePointId);
      return { currentTime: now() };
    },
    StatusNotification: ({ chargePointId }, p) => {
      chargePoints.connectorStatus(chargePointId, p.connectorId, p.status, p.errorCode === 'NoError' ? undefined : p.errorCode);
      chargingStateFrom16(deps, chargePointId, p.connectorId, p.status, p.timestamp ? stationInstant(p.timestamp) : now());
      return {};
    },
    Authorize: async ({ chargePointId }, p) => {
      chargePoints.seen(chargePointId);
      return { idTagInfo: { status: idTagStatus[(await authorizer.authorize(chargePointId, p.idTag, 'RFID')).decision] } };
    },
    // No vendor extensions are implemented: the spec's answer for that is UnknownVendorId.
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
    FirmwareStatusNotification: ({ chargePointId }) => {
      chargePoints.seen(chargePointId);
      return {};
    },
    DiagnosticsStatusNotification: ({ chargePointId }) => {
      chargePoints.seen(chargePointId);
      return {};
    },
    ...v16Transactions(deps),
  };
}
