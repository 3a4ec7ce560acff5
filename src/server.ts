import type { Config } from './config.ts';
import { createApp, type AppOptions } from './app.ts';
import { MAX_REQUEST_BODY_BYTES } from './http/body-guard.ts';

/**
 * Listens on config.port (0 = any free port) with Bun's server: OCPP upgrades on /ocpp/{id} go to the gateway,
 * everything else to the Elysia app. PUBLIC_URL follows the real port when it was not set explicitly.
 */
export function startServer(config: Config, options: AppOptions & { publicUrlExplicit?: boolean } = {}) {
  const service = createApp(config, options);
  const server = Bun.serve({
    port: config.port,
    hostname: config.host,
    // Bun's default is 128 MiB; the per-route limits of body-guard.ts are smaller still.
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
    fetch(request, server) {
      const refused = service.gateway.upgrade(request, server);
      if (refused === null) return undefined;
      return refused ?? service.app.handle(request);
    },
    websocket: service.gateway.websocket,
  });
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
      service.close();
    },
  };
}
