import { startServer } from './server.ts';
import { ConfigError, loadConfig } from './config.ts';

/** `bun run start`: the server alone, configured only from the environment. */
try {
  const config = loadConfig(process.env);
  const server = startServer(config, { publicUrlExplicit: Boolean(process.env.PUBLIC_URL) });
  server.logger.info('Dynamo CSMS listening', { port: server.port, ocpi_versions: server.versionsUrl, docs: `${config.publicUrl}/swagger` });
  const shutdown = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
