import { Elysia } from 'elysia';
import { ActorHost } from '../actors/system/actor-host.ts';
import { PARTNER_MACHINE_VERSION, partnerMachine } from '../actors/partner/partner.machine.ts';
import { Partners } from '../actors/partner/partners.ts';
import { networkRoutes } from './api/network.routes.ts';
import { operatorsRoutes } from './api/operators.routes.ts';
import { partnersRoutes } from './api/partners.routes.ts';
import type { Config } from './config.ts';
import { docsPlugin } from './http/docs.plugin.ts';
import { renderError } from './http/error-renderer.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { createSecrets } from './lib/secrets.ts';
import { DriverTokens } from './network/driver-tokens.ts';
import { Network } from './network/network.ts';
import { createPartnerClient } from './ocpi/client/partner-client.ts';
import { ocpiPlugin } from './ocpi/ocpi.plugin.ts';
import { OCPI_VERSION } from './ocpi/ocpi-deps.ts';
import { requestIdHeaders } from './ocpi/transport/request-ids.ts';
import { createStorage } from './storage/storage.ts';

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
}

/** The composition root: config → storage → actors → protocol adapters. */
export function createApp(config: Config, options: AppOptions = {}) {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const secrets = createSecrets(config.secretKey);
  const storage = createStorage(config.databasePath);
  const partnerHost = new ActorHost(partnerMachine, PARTNER_MACHINE_VERSION, storage.partnerSnapshots, storage.transact, () => clock.now());
  const partners = new Partners({
    host: partnerHost,
    ids: () => storage.partnerSnapshots.ids(),
    tokens: storage.credentialsTokens,
    gateway: createPartnerClient(config.partnerRequestTimeoutMs),
    secrets,
    clock,
    invitationTtlSeconds: config.invitationTtlSeconds,
    ourCredentials: (token) => ({
      token,
      url: `${config.publicUrl}/ocpi/versions`,
      roles: [
        {
          role: 'CPO',
          country_code: config.cpo.countryCode,
          party_id: config.cpo.partyId,
          business_details: { name: config.cpo.name, ...(config.cpo.website ? { website: config.cpo.website } : {}) },
        },
      ],
    }),
  });
  const network = new Network(storage, config, clock);
  const driverTokens = new DriverTokens(storage, network);

  const app = new Elysia()
    .onRequest(({ request, set }) => {
      Object.assign(set.headers, requestIdHeaders(request.headers));
    })
    .onError({ as: 'global' }, renderError(clock, logger))
    .use(docsPlugin())
    .get('/', () => ({ name: 'Dynamo CSMS', ocpi_versions: `${config.publicUrl}/ocpi/versions`, docs: `${config.publicUrl}/swagger` }), {
      detail: { hide: true },
    })
    .use(ocpiPlugin({ config, clock, partners, network, driverTokens }))
    .use(networkRoutes({ config, clock, secrets, storage, network, partners }))
    .use(operatorsRoutes({ config, clock, secrets, storage, network, partners }))
    .use(partnersRoutes({ config, clock, secrets, storage, network, partners }));

  return {
    app,
    storage,
    network,
    partners,
    logger,
    close() {
      partnerHost.stopAll();
      storage.close();
    },
  };
}

export type Service = ReturnType<typeof createApp>;

/** Listens on config.port (0 = any free port); PUBLIC_URL follows the real port when it was not set explicitly. */
export function startServer(config: Config, options: AppOptions & { publicUrlExplicit?: boolean } = {}) {
  const service = createApp(config, options);
  const server = service.app.listen({ port: config.port, hostname: config.host });
  const port = server.server!.port;
  if (!options.publicUrlExplicit) config.publicUrl = `http://localhost:${port}`;
  return {
    ...service,
    port,
    url: `http://127.0.0.1:${port}`,
    versionsUrl: `${config.publicUrl}/ocpi/versions`,
    ocpiVersion: OCPI_VERSION,
    async stop() {
      await service.app.stop(true);
      service.close();
    },
  };
}
