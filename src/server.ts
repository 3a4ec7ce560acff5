import type { Config } from './config.ts';
import { createApp, type AppOptions, type Service } from './app.ts';
import { MAX_REQUEST_BODY_BYTES } from './http/body-guard.ts';
import { StartupError } from './lib/startup-error.ts';

/**
 * Listens on config.port (0 = any free port) with Bun's server: OCPP upgrades on /ocpp/{id} go to the gateway,
 * everything else to the Elysia app. PUBLIC_URL follows the real port when it was not set explicitly.
 */
export function startServer(config: Config, options: AppOptions & { publicUrlExplicit?: boolean } = {}) {
  const service = createApp(config, options);
  let server: ReturnType<typeof serve>;
  try {
    server = serve(config, service);
  } catch (error) {
    // Nothing half-started stays behind: timers and the database close, so the process can end.
    service.close();
    throw listenProblem(config, error);
  }
  const port = server.port!;
  if (!options.publicUrlExplicit) config.publicUrl = `http://localhost:${port}`;
  return {
    ...service,
    port,
    url: `http://127.0.0.1:${port}`,
    ocppUrl: `ws://127.0.0.1:${port}/ocpp`,
    versionsUrl: `${config.publicUrl}/ocpi/versions`,
    async stop() {
      service.gateway.closeAll();
      await server.stop(true);
      // Its leases released, the other nodes take its stations and deliveries over at once.
      await service.cluster?.close();
      service.close();
    },
  };
}

function serve(config: Config, service: Service) {
  return Bun.serve({
    port: config.port,
    hostname: config.host,
    // Bun's default is 128 MiB; the per-route limits of body-guard.ts are smaller still.
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
    fetch(request, server) {
      const refused = service.gateway.upgrade(request, server);
      if (refused === null) return undefined;
      return refused ?? service.handle(request);
    },
    websocket: service.gateway.websocket,
  });
}

function listenProblem(config: Config, error: unknown): unknown {
  const code = (error as { code?: string }).code;
  const where = `port ${config.port} on ${config.host}`;
  if (code === 'EADDRINUSE') return new StartupError(`Cannot listen on ${where}: it is already in use (stop the other process or set PORT)`);
  if (code === 'EACCES') return new StartupError(`Cannot listen on ${where}: not allowed (choose a port above 1023)`);
  if (code === 'EADDRNOTAVAIL') return new StartupError(`Cannot listen on ${where}: no such address on this machine (check HOST)`);
  return error;
}
