/**
 * The StationLink of a node among several: a CALL for a station whose socket is on this node goes straight to
 * it; one whose socket is on another node goes there as a request over the node bus and its answer (or the
 * station's error) comes back; no node holding the station fails as for an offline station on one node.
 */
import type { OnStationOwner, StationLink } from '../../actors/system/actor-system.ports.ts';
import type { OcppGateway } from '../ocpp/ocpp-gateway.ts';
import { OutboundCallError } from '../ocpp/rpc/outbound-calls.ts';
import { RequestTimeout, type NodeBus, type RemoteError } from './node-bus.ts';
import { StaleOwnership, type StationOwnership } from './station-ownership.ts';

/** Time for the request and its answer to cross Redis, on top of the station's own timeout. */
const BUS_MARGIN_MS = 2_000;

/**
 * The node holding a station did not answer for it (it may be dying: its lease ends within a lease time), or the
 * station moved on twice while asked.
 */
export class StationNodeUnreachable extends Error {
  constructor(chargePointId: string, node: string) {
    super(`Node ${node}, which held charge point ${chargePointId}, did not act for it; try again`);
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
 * A write of a station's actors asked for on any node — removing the station (operator DELETE), a reservation's
 * session made or ended by the OCPI command or expiry this node took — runs on the node holding the station: its
 * actors are in memory there, fenced by the station's epoch, and written by nobody else. `write` resolves once
 * committed, so the answer comes back after that node's commit. No node holding it: here. The node asked must
 * still hold it when the request arrives; one that lost it meanwhile refuses, and the write is asked once more of
 * the new holder. No answer within `timeoutMs` (the lease time): by then a silent holder's lease has ended, so this
 * node adopts the station (StationOwnership.adopt) and writes here; a holder still renewing (alive but not
 * answering) or a station claimed meanwhile by yet another node: StationNodeUnreachable, nothing written here.
 */
export function onStationOwner(ownership: StationOwnership, bus: NodeBus, timeoutMs: number): OnStationOwner {
  return <A extends { chargePointId: string }, R>(type: string, write: (args: A) => Promise<R>) => {
    bus.handle(type, async (args: A) => {
      if (!ownership.holds(args.chargePointId)) throw new StaleOwnership(args.chargePointId);
      // A node waking from a pause handles what was asked of it before it hears of the new claim: the stored epoch says.
      ownership.fence(args.chargePointId);
      return write(args);
    });
    return async (args: A): Promise<R> => {
      const { chargePointId } = args;
      for (let attempt = 1; ; attempt++) {
        // Once refused, Redis says who holds it now (this node may not have heard of the claim that took it yet).
        const node = attempt === 1 && ownership.holds(chargePointId) ? bus.node : ((await ownership.ownerNode(chargePointId)) ?? bus.node);
        try {
          return node === bus.node ? await write(args) : ((await bus.request(node, type, args, timeoutMs)) as R);
        } catch (error) {
          const stale = error instanceof StaleOwnership || (error as RemoteError).name === 'StaleOwnership';
          const silent = error instanceof RequestTimeout;
          // Silent for a lease time, the holder has lost its lease (it renews within it): this node takes the
          // station's record over with a fenced claim, so the holder, should it wake, writes nothing more for it.
          if (silent && attempt === 1 && (await ownership.adopt(chargePointId))) return write(args);
          if (stale && attempt === 1) continue;
          if (stale || silent) throw new StationNodeUnreachable(chargePointId, node);
          if (node === bus.node) throw error;
          throw new Error(`Node ${node} failed ${type} for charge point ${chargePointId}: ${(error as RemoteError).message}`);
        }
      }
    };
  };
}
