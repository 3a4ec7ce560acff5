import type { Logger } from '../lib/logger.ts';
import type { Leases } from './leases.ts';

const LEASE = 'timekeeper';

/** What the timekeeper runs: the actor system's shared timers (ActorSystem.resumeTimers / stopResumedTimers). */
export interface SharedTimers {
  /** Arms every deadline from the record (`recent`: a rescan, see ActorSystem.resumeTimers). */
  resume(recent: boolean): void;
  stop(): void;
}

/**
 * The durable deadlines of several nodes that no station socket binds to a node — open commands' deadlines,
 * reservations' expiries, guest sessions' expiries and stalled starts — are armed from the shared record by one
 * node at a time: the holder of the `timekeeper` lease. Every node tries to take it every half lease; the holder
 * arms them all when it takes it and again every `rescanMs` (deadlines whose node died since), and stops them
 * when it finds the lease lost. A node still arms the deadlines of what it accepted itself, so a deadline may be
 * armed on two nodes: its effect is a compare-and-set in storage and acts once either way — also when a paused
 * holder wakes past its lease.
 */
export function keepTime(deps: { leases: Leases; timers: SharedTimers; rescanMs: number; logger: Logger }) {
  const { leases, timers, logger } = deps;
  let holding = false;
  let lastRunMs = 0;
  let busy = false;
  let stopped = false;
  const run = (recent: boolean) => {
    try {
      timers.resume(recent);
    } catch (error) {
      logger.error('Resuming the shared timers failed', { error });
    }
    lastRunMs = Date.now();
  };
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const held = (await leases.acquire(LEASE)) !== undefined;
      if (stopped) return;
      if (held && !holding) {
        holding = true;
        logger.info('This node keeps the shared timers (timekeeper lease taken)');
        run(false);
      } else if (held && Date.now() - lastRunMs >= deps.rescanMs) run(true);
      else if (!held && holding) lost();
    } catch (error) {
      // Redis away: the lease renewal tells whether it was lost.
      logger.warn('Taking the timekeeper lease failed', { error: (error as Error).message });
    } finally {
      busy = false;
    }
  };
  const lost = () => {
    if (!holding) return;
    holding = false;
    logger.warn('The timekeeper lease is lost: this node stops the shared timers it armed');
    timers.stop();
  };
  const timer = setInterval(() => void tick(), Math.max(50, Math.floor(leases.leaseMs / 2)));
  void tick();
  return {
    /** The lease renewal found another holder. */
    lost,
    get holding() {
      return holding;
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
