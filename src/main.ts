import { startServer } from './server.ts';
import { loadConfig } from './config.ts';
import { runUntilSignalled } from './lib/run-until-signalled.ts';

/** `bun run start`: the server alone, configured only from the environment. */
await runUntilSignalled(() => {
  const config = loadConfig(process.env);
  const server = startServer(config, { publicUrlExplicit: Boolean(process.env.PUBLIC_URL) });
  server.logger.info('Dynamo CSMS listening', { port: server.port, ocpi_versions: server.versionsUrl, docs: `${config.publicUrl}/swagger` });
  return async () => {
    server.logger.info('Dynamo CSMS stopping', { port: server.port });
    await server.stop();
  };
});
