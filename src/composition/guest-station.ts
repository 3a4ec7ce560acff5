import type { ChargePoints } from '../../actors/charge-point/charge-points.ts';
import type { GuestStationPort } from '../../actors/guest/guest.ports.ts';
import type { OcppGateway } from '../ocpp/ocpp-gateway.ts';
import type { Storage } from '../storage/storage.ts';

/**
 * What a guest session needs to know of a charge point before money moves — registered? connected? what do its
 * connector and the station as a whole report? — and how it asks for a start or stop.
 */
export function guestStation(storage: Storage, chargePoints: ChargePoints, gateway: OcppGateway): GuestStationPort {
  return {
    state(chargePointId, ocppEvseId) {
      if (!storage.chargePoints.get(chargePointId)) return undefined;
      const view = chargePoints.view(chargePointId);
      const statuses = Object.entries(view?.evses ?? {})
        .filter(([key]) => key === '0' || key === String(ocppEvseId) || key.startsWith(`${ocppEvseId}.`))
        .map(([, reported]) => reported.status);
      return { connected: gateway.isConnected(chargePointId), ...(view?.protocol ? { protocol: view.protocol } : {}), statuses };
    },
    call: (chargePointId, action, payload, timeoutMs) => gateway.call(chargePointId, action, payload, timeoutMs),
  };
}
