/**
 * Simulated time for demos: `factor` simulated seconds pass per real second (60 = an hour-long session in a
 * minute). Stations stamp their messages with it; waits are in simulated milliseconds.
 */
export interface SimClock {
  readonly factor: number;
  now(): Date;
  /** Resolves after `simMs` of simulated time (simMs / factor real milliseconds). */
  sleep(simMs: number): Promise<void>;
}

export function createSimClock(factor: number, start = Date.now()): SimClock {
  const realStart = Date.now();
  return {
    factor,
    now: () => new Date(start + (Date.now() - realStart) * factor),
    sleep: (simMs) => Bun.sleep(Math.max(1, simMs / factor)),
  };
}
