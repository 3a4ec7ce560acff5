import { startServer } from './server.ts';
import { demoDefaults, loadConfig } from './config.ts';
import { seedDemoNetwork } from './dev/demo-network.ts';
import { clockView, simulatedEmspView } from './dev/page/emsp-view.ts';
import { createLogger } from './lib/logger.ts';
import { runUntilSignalled } from './lib/run-until-signalled.ts';
import { parseSimArgs, SimArgsError, simUsage } from './sim/sim-options.ts';
import { startWatchedSimulation } from './sim/watched-simulation.ts';
import { redactDatabaseUrl } from './storage/postgres/db.ts';

/**
 * `bun dev`: the server with demo configuration (any variable set in the environment wins) and, unless --no-sim,
 * a simulated network on loopback — stations, an eMSP and drivers — talking to it over OCPP, OCPI and REST.
 */
const args = (() => {
  try {
    return parseSimArgs(process.argv.slice(2), process.env, 'dev');
  } catch (error) {
    if (!(error instanceof SimArgsError)) throw error;
    console.error(`bun dev: ${error.message}`);
    process.exit(error.exitCode);
  }
})();
if (args.help) {
  process.stdout.write(simUsage('dev'));
  process.exit(0);
}

await runUntilSignalled(async () => {
  // In dev the terminal belongs to the status line: the server logs only warnings and errors, unless LOG_LEVEL says otherwise.
  // Our own OCPP answers are checked against the official schemas in dev (and in tests), not in production.
  const config = loadConfig({ DATABASE_PATH: './data/dev.sqlite', LOG_LEVEL: 'warn', OCPP_CHECK_REPLIES: 'on', ...demoDefaults, ...process.env });
  const server = startServer(config, { publicUrlExplicit: Boolean(process.env.PUBLIC_URL), logger: createLogger(config.logLevel, { pretty: true }), dev: true });
  if (!args.sim) seedDemoNetwork(server.network);
  console.log(
    [
      '',
      `  Dynamo CSMS (dev) — ${config.cpo.name} (${config.cpo.countryCode}/${config.cpo.partyId})`,
      `  OpenAPI docs      ${config.publicUrl}/swagger`,
      `  OCPI versions     ${config.publicUrl}/ocpi/versions`,
      `  Dev page          ${config.publicUrl}/dev`,
      `  Operator API      ${config.publicUrl}/api/v1   (Authorization: Bearer ${config.adminApiKey})`,
      `  Database          ${config.databaseUrl ? redactDatabaseUrl(config.databaseUrl) : config.databasePath}`,
      args.sim ? `  Simulation        ${args.stations} stations, ×${args.factor} time, seed ${args.seed} (--no-sim for the server alone)` : '',
      '',
    ].join('\n'),
  );
  if (!args.sim) return () => server.stop();
  const watched = await startWatchedSimulation(args, server.url, config.adminApiKey);
  const { emsp, clock, emspToken } = watched.sim;
  if (emsp && emspToken)
    console.log(`\n  OCPI as the eMSP   ${emsp.countryCode}/${emsp.partyId} (simulated) uses token C ${emspToken}   (README: "What a partner sees")\n`);
  const simClock = clockView(clock);
  server.setEmspView(() => (emsp ? simulatedEmspView(emsp.view(), simClock) : null));
  return async () => {
    await watched.stop();
    await server.stop();
  };
});
