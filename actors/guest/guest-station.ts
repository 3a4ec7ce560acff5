import { reportedFor, stationLevelStatus } from '../../src/domain/evse-status.ts';
import type { ChargePointRegistry } from '../../src/storage/ports.ts';
import type { ChargePoints } from '../charge-point/charge-points.ts';
import type { StationLink } from '../system/actor-system.ports.ts';
import type { GuestStationPort } from './guest.ports.ts';

/**
 * What a guest session needs to know of a charge point before money moves — registered? connected? what do its
 * connector and the station as a whole report? — and how it asks for a start or stop, in the station's protocol.
 */
export function guestStation(registry: Pick<ChargePointRegistry, 'get'>, chargePoints: ChargePoints, stations: StationLink): GuestStationPort {
  return {
    state(chargePointId, ocppEvseId) {
      if (!registry.get(chargePointId)) return undefined;
      const view = chargePoints.view(chargePointId);
      const evses = view?.evses ?? {};
      const stationLevel = stationLevelStatus(evses);
      const statuses = [...(stationLevel ? [stationLevel] : []), ...reportedFor(evses, ocppEvseId)];
      return { connected: stations.isConnected(chargePointId), ...(view?.protocol ? { protocol: view.protocol } : {}), statuses };
    },
    call: (chargePointId, action, payload, timeoutMs) => stations.call(chargePointId, action, payload, timeoutMs),
  };
}

/** A guest's remote start in the station's protocol: undefined once accepted, else why it did not start. */
export async function askToStart(station: GuestStationPort, guest: { id: string; chargePointId: string; ocppEvseId: number; idTag: string; protocol?: 'ocpp1.6' | 'ocpp2.0.1' }, timeoutMs: number): Promise<string | undefined> {
  try {
    const answer =
      guest.protocol === 'ocpp2.0.1'
        ? await station.call(guest.chargePointId, 'RequestStartTransaction', { idToken: { idToken: guest.idTag, type: 'Central' }, remoteStartId: remoteStartIdOf(guest.id), evseId: guest.ocppEvseId }, timeoutMs)
        : await station.call(guest.chargePointId, 'RemoteStartTransaction', { connectorId: guest.ocppEvseId, idTag: guest.idTag }, timeoutMs);
    return (answer as { status?: string }).status === 'Accepted' ? undefined : 'The charge point rejected the start';
  } catch (error) {
    return `The charge point did not start: ${(error as Error).message}`;
  }
}

/** A guest's remote stop of its transaction, in the protocol the transaction runs on. */
export function askToStop(station: GuestStationPort, chargePointId: string, session: { transactionId: string; protocol: 'ocpp1.6' | 'ocpp2.0.1' }, timeoutMs: number): Promise<unknown> {
  return session.protocol === 'ocpp2.0.1'
    ? station.call(chargePointId, 'RequestStopTransaction', { transactionId: session.transactionId }, timeoutMs)
    : station.call(chargePointId, 'RemoteStopTransaction', { transactionId: Number(session.transactionId) }, timeoutMs);
}

/** OCPP 2.0.1 remoteStartId is an integer; derived from the guest id so a retried start uses the same one. */
function remoteStartIdOf(id: string): number {
  return Number.parseInt(Buffer.from(id, 'base64url').subarray(0, 4).toString('hex'), 16) & 0x7fffffff;
}
