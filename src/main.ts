import { startServer } from './server.ts';
import { loadConfig } from './config.ts';
import { runUntilSignalled } from './lib/run-until-signalled.ts';
import { joinCluster } from './cluster/cluster.ts';
import { createLogger } from './lib/logger.ts';

/** `bun run start`: the server alone, configured only from the environment. */
await runUntilSignalled(async () => {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  // REDIS_URL: one node of several (README "Running several nodes").
  const cluster = config.redisUrl ? await joinCluster({ redisUrl: config.redisUrl, ...config.cluster }, logger) : undefined;
  const server = startServer(config, { publicUrlExplicit: Boolean(process.env.PUBLIC_URL), logger, ...(cluster ? { cluster } : {}) });
  server.logger.info('Dynamo CSMS listening', { port: server.port, ocpi_versions: server.versionsUrl, docs: `${config.publicUrl}/swagger`, ...(cluster ? { node: config.cluster.nodeId } : {}) });
  return async () => {
    server.logger.info('Dynamo CSMS stopping', { port: server.port });
    await server.stop();
  };
});
