import { Elysia } from 'elysia';
import { ActorSystem } from '../actors/system/actor-system.ts';
import { whenCommitted } from '../actors/system/group-commit.ts';
import { evseStatusOf } from './domain/evse-status.ts';
import { TokenAuthorizer } from './charging-network/token-authorizer.ts';
import { v16Handlers } from './ocpp/handlers/v16.handlers.ts';
import { v201Handlers } from './ocpp/handlers/v201.handlers.ts';
import { createOcppGateway } from './ocpp/ocpp-gateway.ts';
import { networkRoutes } from './api/network.routes.ts';
import { operatorsRoutes } from './api/operators.routes.ts';
import { partnersRoutes } from './api/partners.routes.ts';
import { sessionsRoutes } from './api/sessions.routes.ts';
import { deliveriesRoutes } from './api/deliveries.routes.ts';
import { integrationRequestsRoutes } from './api/integration-requests.routes.ts';
import { guestSessionsRoutes } from './api/guest-sessions.routes.ts';
import { devRoutes } from './dev/page/dev-routes.ts';
import { devSourcesOf } from './dev/page/dev-snapshot.ts';
import { createPaymentProvider, createSqliteSimulatedLedger, isPaymentMethodId } from './payments/index.ts';
import type { Config } from './config.ts';
import { docsPlugin } from './http/docs.plugin.ts';
import { renderError } from './http/error-renderer.ts';
import { answerAfterCommit } from './http/answer-after-commit.ts';
import { guardBody } from './http/body-guard.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { createMetrics, ocpiModuleOf } from './ops/metrics.ts';
import { opsRoutes } from './ops/ops.routes.ts';
import { instrumentedPayments } from './ops/payment-metrics.ts';
import { createTraceRecorder } from './ops/trace/trace-recorder.ts';
import { inboundOcpiTrace, type AfterResponse } from './ops/trace/trace-http.ts';
import { partnerOfCall } from './ops/trace/trace-links.ts';
import { tracedPayments } from './ops/trace/traced-payments.ts';
import { devTraceRoute, traceRoutes } from './ops/trace/trace.routes.ts';
import { taps } from './ocpp/gateway-tap.ts';
import { createSecrets } from './lib/secrets.ts';
import { DriverTokens } from './charging-network/driver-tokens.ts';
import { Network } from './charging-network/network.ts';
import { createPartnerClient } from './ocpi/client/partner-client.ts';
import { ocpiPlugin } from './ocpi/ocpi.plugin.ts';
import { requestIdHeaders } from './ocpi/transport/request-ids.ts';
import { createStorage } from './storage/storage.ts';
import { holdDatabaseForNode } from './storage/postgres/node-lock.ts';
import { ourCredentials } from './composition/our-credentials.ts';
import { clusterNode, type ClusterLink } from './cluster/cluster.ts';

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
  /** Mounts the developer page (/dev), as `bun dev` does. */
  dev?: boolean;
  /** Several nodes: this node's link to Redis and the others (src/cluster/cluster.ts), joined before the app is built. */
  cluster?: ClusterLink;
}

/** The composition root: config → storage → actors → protocol adapters. */
export function createApp(config: Config, options: AppOptions = {}) {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const secrets = createSecrets(config.secretKey);
  const storage = createStorage(config.databaseUrl ?? config.databasePath, { listCacheBytes: config.ocpiListCacheBytes });
  if (config.databaseUrl)
    try {
      holdDatabaseForNode(storage.sqlite, options.cluster !== undefined);
    } catch (error) {
      storage.close();
      throw error;
    }
  const metrics = createMetrics(storage.ops);
  // The protocol trace; its resolvers run when a batch is written, after the partners below exist.
  const trace = config.trace.enabled
    ? createTraceRecorder({
        repo: storage.trace,
        transact: storage.transact,
        clock,
        logger,
        settings: config.trace,
        onDropped: metrics.traceDropped,
        resolvers: {
          sessionOfTransaction: (cp, tx) => storage.sessions.idByTransaction(cp, tx),
          partnersForBatch: () => {
            const known = partners.list();
            return (url, to) => partnerOfCall(known, url, to);
          },
        },
      })
    : undefined;
  const inboundTrace = trace && inboundOcpiTrace(trace.push, clock);
  const partnerGateway = createPartnerClient(config.partnerRequestTimeoutMs, { country_code: config.cpo.countryCode, party_id: config.cpo.partyId }, trace?.outbound, clock);
  const provider = createPaymentProvider(config.payments, createSqliteSimulatedLedger(storage.sqlite));
  const payments = instrumentedPayments(trace ? tracedPayments(provider, trace.push, clock) : provider, metrics.payment, logger);
  const cluster = options.cluster && clusterNode(options.cluster, { storage, logger });
  const gateway = createOcppGateway({
    clock,
    stations: storage.chargePoints,
    secrets,
    logger,
    tap: trace ? taps(metrics.ocpp, trace.tap) : metrics.ocpp,
    checkReplies: config.ocppCheckReplies,
    ...(cluster ? { throttle: cluster.throttle, ownership: cluster.ownership } : {}),
  });
  // Several nodes: a CALL for a station whose socket another node holds goes there; its record says whether it is connected.
  const stations = cluster ? cluster.stationLink(gateway, (id) => system.chargePoints.view(id)?.connected ?? false) : gateway;
  const system: ActorSystem<Network> = new ActorSystem({
    storage,
    network: (feed) => new Network(storage, config, clock, feed),
    stations,
    partnerGateway,
    payments,
    evseStatus: evseStatusOf,
    ourCredentials: ourCredentials(config),
    secrets,
    clock,
    logger,
    settings: { ...config, owner: config.cpo },
    onDeadLetter: metrics.deadLettered,
    onCommit: metrics.committed,
    ...(cluster ? { ownership: cluster.ownership, onStationOwner: cluster.onStationOwner, deliveryLease: cluster.deliveryLease((channel) => system.deliveries.wake(channel)) } : {}),
  });
  if (cluster) {
    // The station moved to another node: its socket here closes, and what this node held of it is dropped.
    cluster.ownership.onLost = (id) => {
      gateway.disconnect(id, 'Connected to another node');
      system.forgetStation(id);
    };
    cluster.ownership.onClaimed = (id) => system.forgetStation(id);
    cluster.othersChanged = () => system.othersChanged();
  }
  const { partners, deliveries, network, sessions, chargePoints, commands, chargingProfiles, guests } = system;
  const driverTokens = new DriverTokens(storage, network);
  const authorizer = new TokenAuthorizer(storage, system.realTime, (cp, evse) => network.locationReferences(cp, evse), (cp, idTag) => system.preAuthorized(cp, idTag), clock);
  const handlerDeps = {
    chargePoints,
    sessions,
    authorizer,
    commands: { reservationUsed: (id: number) => commands.reservationUsed(id) },
    chargingProfiles: { scheduleChanged: (cp: string, evse: number | undefined) => chargingProfiles.scheduleChanged(cp, evse) },
    config,
    clock,
  };
  gateway.attach({
    handlers: { 'ocpp1.6': v16Handlers(handlerDeps), 'ocpp2.0.1': v201Handlers(handlerDeps) },
    events: {
      connected: ({ chargePointId, version }) => chargePoints.connected(chargePointId, version),
      // A socket closed because the station moved to another node is no disconnection: the new owner has it.
      disconnected: ({ chargePointId }) => (!cluster || cluster.ownership.holds(chargePointId) ? chargePoints.disconnected(chargePointId) : undefined),
    },
    durability: system.commits,
  });
  system.start(cluster !== undefined);
  storage.serving();
  cluster?.keepTime({ resume: (recent) => system.resumeTimers(recent), stop: () => system.stopResumedTimers() });
  cluster?.sweepOrphans(
    () => storage.chargePoints.snapshots.ids().filter((id) => chargePoints.view(id)?.connected),
    (id) => chargePoints.disconnected(id),
  );
  metrics.observeActors(() => system.liveActors());

  // Several nodes: a removal runs on the node holding the station's socket (src/cluster/station-router.ts).
  const removeOnOwner = cluster?.onStationOwner('station-remove', ({ chargePointId }: { chargePointId: string }) => whenCommitted(system.commits, () => chargePoints.remove(chargePointId)));
  const removeChargePoint = removeOnOwner ? (chargePointId: string) => removeOnOwner({ chargePointId }) : async (id: string) => chargePoints.remove(id);
  const apiDeps = { config, clock, secrets, storage, network, partners, chargePoints, removeChargePoint, gateway: { ...gateway, isConnected: stations.isConnected }, sessions, deliveries, guests, payments: { name: payments.name, isPaymentMethodId } };
  const app = new Elysia()
    .onRequest(({ request, set }) => {
      const ids = requestIdHeaders(request.headers);
      Object.assign(set.headers, ids);
      inboundTrace?.started(request, ids);
    })
    .onRequest(guardBody)
    .onAfterResponse(({ request, set }) => {
      const path = new URL(request.url).pathname;
      if (path.startsWith('/ocpi/')) metrics.ocpiRequest(ocpiModuleOf(path), request.method, typeof set.status === 'number' ? set.status : 200);
    })
    .onAfterResponse(({ request, set, body, responseValue, partner }: AfterResponse) => inboundTrace?.finished({ request, set, body, responseValue, partner }))
    .onError({ as: 'global' }, inboundTrace ? inboundTrace.capturing(renderError(clock, logger)) : renderError(clock, logger))
    .use(docsPlugin())
    .use(opsRoutes({ config, secrets, storage, metrics }))
    .get('/', () => ({ name: 'Dynamo CSMS', ocpi_versions: `${config.publicUrl}/ocpi/versions`, docs: `${config.publicUrl}/swagger` }), {
      detail: { hide: true },
    })
    .use(ocpiPlugin({ config, clock, partners, network, driverTokens, sessions, commands, chargingProfiles }))
    .use(networkRoutes(apiDeps))
    .use(operatorsRoutes(apiDeps))
    .use(sessionsRoutes(apiDeps))
    .use(partnersRoutes(apiDeps))
    .use(deliveriesRoutes(apiDeps))
    .use(integrationRequestsRoutes(apiDeps))
    .use(guestSessionsRoutes(apiDeps))
    .use(traceRoutes(apiDeps));
  // The dev page shows what the simulated eMSP received; the simulation starts after the app, so it plugs in later.
  let emspView: (() => unknown) | undefined;
  if (options.dev) app.use(devRoutes(devSourcesOf({ network, sessions, deliveries, partners, chargePoints, chargingProfiles }, () => emspView?.() ?? null)));
  if (options.dev) app.use(devTraceRoute({ storage, sessions }));

  const failed = renderError(clock, logger);
  return {
    app,
    /** The app's answers, each sent only once what its handler wrote is committed. */
    handle: answerAfterCommit((request) => app.handle(request), system.commits, (request, error) => failed({ code: 'COMMIT', error, request, set: { headers: {} } })),
    gateway,
    storage,
    network,
    partners,
    chargePoints,
    sessions,
    chargingProfiles,
    logger,
    deliveries,
    metrics,
    /** The protocol trace recorder (undefined with TRACE=off). */
    trace,
    setEmspView(view: () => unknown) {
      emspView = view;
    },
    /** Several nodes: this node's cluster parts (undefined when it runs alone). */
    cluster,
    close() {
      system.close();
      trace?.stop();
      storage.close();
    },
  };
}

export type Service = ReturnType<typeof createApp>;
