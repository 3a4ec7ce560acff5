/**
 * The StationLink of a node among several: a CALL for a station whose socket is on this node goes straight to
 * it; one whose socket is on another node goes there as a request over the node bus and its answer (or the
 * station's error) comes back; no node holding the station fails as for an offline station on one node.
 */
import type { StationLink } from '../../actors/system/actor-system.ports.ts';
import type { OcppGateway } from '../ocpp/ocpp-gateway.ts';
import { OutboundCallError } from '../ocpp/rpc/outbound-calls.ts';
import type { NodeBus, RemoteError } from './node-bus.ts';
import type { StationOwnership } from './station-ownership.ts';

/** Time for the request and its answer to cross Redis, on top of the station's own timeout. */
const BUS_MARGIN_MS = 2_000;

export function routedStationLink(gateway: OcppGateway, ownership: StationOwnership, bus: NodeBus, connectedInRecord: (chargePointId: string) => boolean): StationLink {
  bus.handle('station-call', ({ chargePointId, action, payload, timeoutMs }) => gateway.call(chargePointId, action, payload, timeoutMs));
  bus.handle('station-disconnect', async ({ chargePointId, reason }) => gateway.disconnect(chargePointId, reason));
  const remote = async (chargePointId: string) => {
    const node = await ownership.ownerNode(chargePointId);
    return node === bus.node ? undefined : node;
  };
  return {
    async call(chargePointId, action, payload, timeoutMs) {
      if (gateway.isConnected(chargePointId)) return gateway.call(chargePointId, action, payload, timeoutMs);
      const node = await remote(chargePointId);
      if (!node) throw new OutboundCallError('closed', 'Station is not connected');
      try {
        return await bus.request(node, 'station-call', { chargePointId, action, payload, timeoutMs }, timeoutMs + BUS_MARGIN_MS);
      } catch (error) {
        const e = error as RemoteError;
        const reason = (['timeout', 'call-error', 'closed', 'invalid-response'] as const).find((r) => r === e.reason) ?? 'timeout';
        throw new OutboundCallError(reason, e.message, e.code);
      }
    },
    disconnect(chargePointId, reason) {
      if (gateway.isConnected(chargePointId)) return gateway.disconnect(chargePointId, reason);
      void remote(chargePointId).then((node) => node && bus.request(node, 'station-disconnect', { chargePointId, reason }, BUS_MARGIN_MS)).catch(() => {});
    },
    isConnected: (chargePointId) => gateway.isConnected(chargePointId) || connectedInRecord(chargePointId),
  };
}
