import type { HandlerTable } from '../ocpp-gateway.ts';
import type { OcppHandlerDeps } from './handler-deps.ts';

/** 1.6 Authorize answers from the local whitelist decision (ocpp-notes §3.2). */
const idTagStatus = { ALLOWED: 'Accepted', BLOCKED: 'Blocked', UNKNOWN: 'Invalid', NEEDS_REAL_TIME: 'Invalid' } as const;

/** OCPP 1.6J station → CSMS actions: each turns the frame into one actor call and renders the answer. */
export function v16Handlers({ chargePoints, authorizer, config, clock }: OcppHandlerDeps): HandlerTable {
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
      return {};
    },
    Authorize: ({ chargePointId }, p) => {
      chargePoints.seen(chargePointId);
      return { idTagInfo: { status: idTagStatus[authorizer.decide(p.idTag, 'RFID').decision] } };
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
  };
}
