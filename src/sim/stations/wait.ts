import type { SimClock } from '../sim-clock.ts';

/**
 * Waits `simMs` of simulated time unless `signal` aborts first; true when the full time passed.
 * SimClock.sleep cannot be cancelled, so long waits are cut into slices of at most one real second: an aborted
 * wait returns at once and leaves at most one short timer behind (stop() does not keep a process alive for
 * the rest of a half-hour heartbeat interval).
 */
export async function waitSim(clock: SimClock, simMs: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false;
  const slice = 1000 * clock.factor;
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    for (let remaining = simMs; remaining > 0; remaining -= slice) {
      await Promise.race([clock.sleep(Math.min(remaining, slice)), aborted]);
      if (signal?.aborted) return false;
    }
    return true;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Runs `task` without awaiting it; a failure is reported, never an unhandled rejection. */
export function spawn(task: Promise<unknown>, onError: (error: unknown) => void): void {
  task.catch(onError);
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
