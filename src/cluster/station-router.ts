/**
 * The StationLink of a node among several: a CALL for a station whose socket is on this node goes straight to
 * it; one whose socket is on another node goes there as a request over the node bus and its answer (or the
 * station's error) comes back; no node holding the station fails as for an offline station on one node.
 */
import type { StationLink } from '../../actors/system/actor-system.ports.ts';
import type { Durability } from '../../actors/system/group-commit.ts';
import type { OcppGateway } from '../ocpp/ocpp-gateway.ts';
import { OutboundCallError } from '../ocpp/rpc/outbound-calls.ts';
import { RequestTimeout, type NodeBus, type RemoteError } from './node-bus.ts';
import type { StationOwnership } from './station-ownership.ts';

/** Time for the request and its answer to cross Redis, on top of the station's own timeout. */
const BUS_MARGIN_MS = 2_000;
/** A removal on the owning node: its sessions stopped (each with its CDR) and committed, well within it. */
const REMOVAL_TIMEOUT_MS = 10_000;

/** The node holding a station's socket did not answer for it (it may be dying: its lease ends within seconds). */
export class StationNodeUnreachable extends Error {
  constructor(chargePointId: string, node: string) {
    super(`Node ${node}, which holds charge point ${chargePointId}, did not answer; try again`);
  }
}

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

/**
 * Removing a station (operator DELETE) through any node runs on the node holding its socket: there its running
 * sessions are in memory, fenced by the station's epoch, with every reading the station sent, and its socket is
 * closed by the same node; the answer comes once that node has committed it. No node holding it: here.
 */
export function routedStationRemoval(ownership: StationOwnership, bus: NodeBus, durability: Durability, remove: (chargePointId: string) => boolean) {
  bus.handle('station-remove', async ({ chargePointId }) => {
    const since = durability.mark();
    const removed = remove(chargePointId);
    await durability.settled(since);
    return removed;
  });
  return async (chargePointId: string): Promise<boolean> => {
    const node = ownership.holds(chargePointId) ? undefined : await ownership.ownerNode(chargePointId);
    if (!node || node === bus.node) return remove(chargePointId);
    try {
      return (await bus.request(node, 'station-remove', { chargePointId }, REMOVAL_TIMEOUT_MS)) as boolean;
    } catch (error) {
      if (error instanceof RequestTimeout) throw new StationNodeUnreachable(chargePointId, node);
      throw new Error(`Node ${node} failed to remove charge point ${chargePointId}: ${(error as RemoteError).message}`);
    }
  };
}
