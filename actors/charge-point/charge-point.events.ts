import type { OcppVersion } from '../../src/model/ocpp-version.ts';

export interface BootInfo {
  vendor: string;
  model: string;
  serialNumber?: string;
  firmwareVersion?: string;
}

/**
 * What the OCPP adapter tells a charge point actor, one name per fact and the same for both OCPP versions.
 * `evseId` is the OCPP 1.6 connectorId or the 2.0.1 evseId; 0 means the whole station.
 */
export type ChargePointEvent =
  | { type: 'CONNECTED'; protocol: OcppVersion; at: string }
  | { type: 'DISCONNECTED'; at: string }
  | ({ type: 'BOOTED'; at: string } & BootInfo)
  | { type: 'CONNECTOR_STATUS'; evseId: number; connectorId?: number; status: string; errorCode?: string; at: string }
  /** The actor was restored after a restart: timers do not survive one, so its state is entered again to re-arm them. */
  | { type: 'RESTORED' };
