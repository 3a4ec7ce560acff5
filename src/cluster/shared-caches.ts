import type { NodeBus } from './node-bus.ts';

/** How often a node looks whether it changed the shared record (and tells the others). */
const CHECK_MS = 50;

/**
 * Several nodes, one database: what a node derives from the tables and keeps in memory (OCPI list orders,
 * rendered bodies, EVSE bindings and tokens as the lists hold them) is dropped on every other node when this node
 * changes the tables, and rebuilt from the shared record when next read. Coarse on purpose: any change drops
 * everything derived, at most once per CHECK_MS — a wrong answer costs more than a rebuilt list.
 */
export function shareCacheInvalidation(storage: { changes(): number; forgetDerived(): void }, bus: NodeBus) {
  const shared = {
    /** Also told of every other node's change (src/app.ts: whoever waits for an actor to move looks again). */
    othersChanged: () => {},
    stop: () => clearInterval(timer),
  };
  bus.on('storage-changed', () => {
    storage.forgetDerived();
    shared.othersChanged();
  });
  let seen = storage.changes();
  const timer = setInterval(() => {
    const now = storage.changes();
    if (now === seen) return;
    seen = now;
    bus.broadcast('storage-changed', {});
  }, CHECK_MS);
  return shared;
}
