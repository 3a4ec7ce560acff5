import { collectStats } from './sim-stats.ts';
import type { SimArgs } from './sim-options.ts';
import { startSimulation } from './simulation.ts';
import { createStatusLine } from './status-line.ts';

/** The events worth a line in the terminal; meter values, heartbeats and every push would drown them. */
const NOTABLE = new Set([
  'network', 'stations', 'driver', 'incident', 'guest', 'command', 'error', 'refused', 'started', 'stopped', 'fault',
  'offline', 'connect-failed', 'timeout', 'reserved', 'emsp', 'emsp registered', 'emsp cdr', 'emsp duplicate-cdr',
  'emsp command-result', 'emsp error', 'emsp unregistered', 'smart-charging', 'emsp charging-profile',
]);

/**
 * A simulation with its terminal view: notable events logged, the status line refreshed every second from the
 * public API. Shared by `bun dev` and `bun run simulate`.
 */
export async function startWatchedSimulation(args: SimArgs, csmsUrl: string, apiKey: string) {
  let errors = 0;
  const status = createStatusLine();
  const sim = await startSimulation({
    csmsUrl,
    apiKey,
    stations: args.stations,
    arrivalsPerHour: args.arrivalsPerHour,
    meterIntervalS: args.meterIntervalS,
    factor: args.factor,
    seed: args.seed,
    emsp: args.emsp,
    prefix: args.prefix,
    onEvent: (e) => {
      if (e.kind === 'error') errors += 1;
      if (NOTABLE.has(e.kind)) status.event(`${e.kind.padEnd(9)} ${e.message}`);
    },
  });
  const refresh = setInterval(() => void collectStats(sim, sim.csms, errors).then(status.update, () => undefined), 1000);
  return {
    sim,
    stats: () => collectStats(sim, sim.csms, errors),
    async stop() {
      clearInterval(refresh);
      status.done();
      await sim.stop();
    },
  };
}
