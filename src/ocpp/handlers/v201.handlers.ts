import type { HandlerTable } from '../ocpp-gateway.ts';
import type { OcppHandlerDeps } from './handler-deps.ts';

const idTokenStatus = { ALLOWED: 'Accepted', BLOCKED: 'Blocked', UNKNOWN: 'Unknown', NEEDS_REAL_TIME: 'Invalid' } as const;

/** 2.0.1 IdTokenEnumType → OCPI TokenType: cards are RFID; central/app ids are APP_USER (ocpp-notes §3.2). */
const tokenTypeOf = (type: string) => (type === 'Central' || type === 'eMAID' ? 'APP_USER' : type === 'Local' ? 'OTHER' : 'RFID');

/** OCPP 2.0.1 station → CSMS actions, including what stations send while booting so they are not refused. */
export function v201Handlers({ chargePoints, authorizer, config, clock }: OcppHandlerDeps): HandlerTable {
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
    Authorize: ({ chargePointId }, p) => {
      chargePoints.seen(chargePointId);
      const { decision } = authorizer.decide(p.idToken.idToken, tokenTypeOf(p.idToken.type));
      return { idTokenInfo: { status: idTokenStatus[decision] } };
    },
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
    NotifyEvent: acknowledge,
    NotifyReport: acknowledge,
    SecurityEventNotification: acknowledge,
    FirmwareStatusNotification: acknowledge,
    LogStatusNotification: acknowledge,
    NotifyMonitoringReport: acknowledge,
  };
}
