import { startServer } from './app.ts';
import { ConfigError, demoDefaults, loadConfig } from './config.ts';
import { seedDemoNetwork } from './dev/demo-network.ts';

/** `bun dev`: the server with demo configuration (any variable set in the environment wins) and a demo network. */
try {
  const config = loadConfig({ DATABASE_PATH: './data/dev.sqlite', ...demoDefaults, ...process.env });
  const server = startServer(config, { publicUrlExplicit: Boolean(process.env.PUBLIC_URL) });
  seedDemoNetwork(server.network);
  console.log(
    [
      '',
      `  Dynamo CSMS (dev) — ${config.cpo.name} (${config.cpo.countryCode}/${config.cpo.partyId})`,
      `  OpenAPI docs      ${config.publicUrl}/swagger`,
      `  OCPI versions     ${config.publicUrl}/ocpi/versions`,
      `  Operator API      ${config.publicUrl}/api/v1   (Authorization: Bearer ${config.adminApiKey})`,
      `  Database          ${config.databasePath}`,
      '',
      `  Invite an eMSP:   curl -s -X POST -H 'Authorization: Bearer ${config.adminApiKey}' ${config.publicUrl}/api/v1/ocpi/invitations`,
      '',
    ].join('\n'),
  );
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
