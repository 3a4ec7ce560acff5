import type { ChargePointRegistry } from '../../src/storage/ports.ts';
import type { ChargePoints } from '../charge-point/charge-points.ts';
import type { StationLink } from '../system/actor-system.ports.ts';
import type { GuestStationPort } from './guest.ports.ts';

/**
 * What a guest session needs to know of a charge point before money moves — registered? connected? what do its
 * connector and the station as a whole report? — and how it asks for a start or stop.
 */
export function guestStation(registry: Pick<ChargePointRegistry, 'get'>, chargePoints: ChargePoints, stations: StationLink): GuestStationPort {
  return {
    state(chargePointId, ocppEvseId) {
      if (!registry.get(chargePointId)) return undefined;
      const view = chargePoints.view(chargePointId);
      const statuses = Object.entries(view?.evses ?? {})
        .filter(([key]) => key === '0' || key === String(ocppEvseId) || key.startsWith(`${ocppEvseId}.`))
        .map(([, reported]) => reported.status);
      return { connected: stations.isConnected(chargePointId), ...(view?.protocol ? { protocol: view.protocol } : {}), statuses };
    },
    call: (chargePointId, action, payload, timeoutMs) => stations.call(chargePointId, action, payload, timeoutMs),
  };
}
