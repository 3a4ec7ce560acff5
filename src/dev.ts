import { startServer } from './app.ts';
import { ConfigError, demoDefaults, loadConfig } from './config.ts';
import { seedDemoNetwork } from './dev/demo-network.ts';
import { createLogger } from './lib/logger.ts';
import { collectStats } from './sim/sim-stats.ts';
import { parseSimArgs } from './sim/sim-options.ts';
import { startSimulation } from './sim/simulation.ts';
import { createStatusLine } from './sim/status-line.ts';

/** The events worth a line in the terminal; meter values, heartbeats and every push would drown them. */
const NOTABLE = new Set([
  'network', 'stations', 'driver', 'incident', 'guest', 'command', 'error', 'refused', 'started', 'stopped', 'fault',
  'offline', 'connect-failed', 'timeout', 'reserved', 'emsp', 'emsp registered', 'emsp cdr', 'emsp duplicate-cdr',
  'emsp command-result', 'emsp error', 'emsp unregistered',
]);

/**
 * `bun dev`: the server with demo configuration (any variable set in the environment wins) and, unless --no-sim,
 * a simulated network on loopback — stations, an eMSP and drivers — talking to it over OCPP, OCPI and REST.
 */
try {
  const args = parseSimArgs(process.argv.slice(2), process.env);
  const config = loadConfig({ DATABASE_PATH: './data/dev.sqlite', ...demoDefaults, ...process.env });
  // In dev the terminal belongs to the status line: the server logs only warnings and errors.
  const server = startServer(config, { publicUrlExplicit: Boolean(process.env.PUBLIC_URL), logger: createLogger('warn'), dev: true });
  if (!args.sim) seedDemoNetwork(server.network);
  console.log(
    [
      '',
      `  Dynamo CSMS (dev) — ${config.cpo.name} (${config.cpo.countryCode}/${config.cpo.partyId})`,
      `  OpenAPI docs      ${config.publicUrl}/swagger`,
      `  OCPI versions     ${config.publicUrl}/ocpi/versions`,
      `  Dev page          ${config.publicUrl}/dev`,
      `  Operator API      ${config.publicUrl}/api/v1   (Authorization: Bearer ${config.adminApiKey})`,
      `  Database          ${config.databasePath}`,
      args.sim ? `  Simulation        ${args.stations} stations, ×${args.factor} time, seed ${args.seed} (--no-sim for the server alone)` : '',
      '',
    ].join('\n'),
  );
  if (args.sim) {
    let errors = 0;
    const status = createStatusLine();
    const sim = await startSimulation({
      csmsUrl: server.url,
      apiKey: config.adminApiKey,
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
    server.setEmspView(() => sim.emsp?.view());
    const refresh = setInterval(() => void collectStats(sim, sim.csms, errors).then(status.update, () => undefined), 1000);
    const shutdown = async () => {
      clearInterval(refresh);
      status.done();
      await sim.stop();
      await server.stop();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
