import type { Logger } from '../lib/logger.ts';
import type { Leases } from './leases.ts';
import type { StationOwnership } from './station-ownership.ts';

/**
 * Stations whose node died and that have not connected to another one still read "connected" in the shared
 * record, and nobody runs their offline grace. One node at a time (the holder of the `sweep` lease) looks every
 * few lease times for stations the record calls connected that no node holds, adopts each (a fenced claim that
 * only succeeds while nobody holds it) and marks it disconnected: partners see UNKNOWN after the grace, as on one node.
 */
export function sweepOrphanStations(deps: {
  leases: Leases;
  ownership: StationOwnership;
  /** Stations the shared record calls connected. */
  connectedInRecord: () => string[];
  markDisconnected: (chargePointId: string) => void;
  everyMs: number;
  logger: Logger;
}) {
  let running = false;
  const sweep = async () => {
    if (running || (await deps.leases.acquire('sweep')) === undefined) return;
    running = true;
    try {
      for (const id of deps.connectedInRecord()) {
        if (deps.ownership.holds(id) || !(await deps.ownership.adopt(id))) continue;
        deps.logger.warn('Station left connected by a node that is gone: marked disconnected', { chargePointId: id });
        deps.markDisconnected(id);
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep().catch((error: Error) => deps.logger.warn('Sweeping orphaned stations failed', { error: error.message })), deps.everyMs);
  return { stop: () => clearInterval(timer) };
}
