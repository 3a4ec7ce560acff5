import { Elysia } from 'elysia';
import { ActorHost } from '../actors/system/actor-host.ts';
import { Deadlines } from '../actors/system/deadlines.ts';
import { PARTNER_MACHINE_VERSION, partnerMachine } from '../actors/partner/partner.machine.ts';
import { Partners } from '../actors/partner/partners.ts';
import { Deliveries } from '../actors/partner/deliveries.ts';
import { OutboxFeed } from '../actors/partner/partner-feed.ts';
import { partnerPushSender } from '../actors/partner/partner-push.ts';
import { RealTimeAuthorization } from '../actors/partner/real-time-authorization.ts';
import { pullTokens } from '../actors/partner/token-pull.ts';
import { CHARGE_POINT_MACHINE_VERSION, chargePointMachine } from '../actors/charge-point/charge-point.machine.ts';
import { ChargePoints } from '../actors/charge-point/charge-points.ts';
import { SESSION_MACHINE_VERSION, sessionMachine } from '../actors/session/session.machine.ts';
import { Sessions } from '../actors/session/sessions.ts';
import { Commands } from '../actors/commands/commands.ts';
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
import { GUEST_MACHINE_VERSION, guestSessionMachine } from '../actors/guest/guest-session.machine.ts';
import { GuestSessions, PAYMENTS_CHANNEL } from '../actors/guest/guest-sessions.ts';
import { paymentJobsSender } from '../actors/guest/payment-jobs.ts';
import { createPaymentProvider, createSqliteSimulatedLedger, isPaymentMethodId } from './payments/index.ts';
import { ocpiDateTime } from './lib/clock.ts';
import type { Config } from './config.ts';
import { docsPlugin } from './http/docs.plugin.ts';
import { renderError } from './http/error-renderer.ts';
import { guardBody } from './http/body-guard.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { createMetrics, ocpiModuleOf } from './ops/metrics.ts';
import { opsRoutes } from './ops/ops.routes.ts';
import { instrumentedPayments } from './ops/payment-metrics.ts';
import { createTraceRecorder } from './ops/trace/trace-recorder.ts';
import { inboundOcpiTrace } from './ops/trace/trace-http.ts';
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
import { guestStation } from './composition/guest-station.ts';
import { ourCredentials } from './composition/our-credentials.ts';

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
  /** Mounts the developer page (/dev), as `bun dev` does. */
  dev?: boolean;
}

/** The composition root: config → storage → actors → protocol adapters. */
export function createApp(config: Config, options: AppOptions = {}) {
  const clock = options.clock ?? systemClock;
  // Every actor deadline (offline grace, command timeouts, reservation and guest expiry) runs here, on the clock.
  const deadlines = new Deadlines(clock);
  const logger = options.logger ?? createLogger(config.logLevel);
  const secrets = createSecrets(config.secretKey);
  const storage = createStorage(config.databasePath);
  const metrics = createMetrics(storage.ops);
  // The protocol trace; its resolvers run when a batch is written, after the partners below exist.
  const trace = config.trace.enabled
    ? createTraceRecorder({
        repo: storage.trace,
        transact: storage.transact,
        clock,
        logger,
        settings: config.trace,
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
  const partnerGateway = createPartnerClient(config.partnerRequestTimeoutMs, { country_code: config.cpo.countryCode, party_id: config.cpo.partyId }, trace?.outbound);
  const partnerHost = new ActorHost(partnerMachine, PARTNER_MACHINE_VERSION, storage.partnerSnapshots, storage.transact, () => clock.now());
  const partners = new Partners({
    host: partnerHost,
    ids: () => storage.partnerSnapshots.ids(),
    tokens: storage.credentialsTokens,
    gateway: partnerGateway,
    secrets,
    clock,
    invitationTtlSeconds: config.invitationTtlSeconds,
    ourCredentials: ourCredentials(config),
  });
  const provider = createPaymentProvider(config.payments, createSqliteSimulatedLedger(storage.sqlite));
  const payments = instrumentedPayments(trace ? tracedPayments(provider, trace.push, clock) : provider, metrics.payment, logger);
  let guests: GuestSessions | undefined;
  const deliveries = new Deliveries({
    outbox: storage.outbox,
    senderFor: (channel) =>
      channel === PAYMENTS_CHANNEL ? paymentJobsSender(payments, () => guests!) : partnerPushSender(channel, { partners, gateway: partnerGateway }),
    transact: storage.transact,
    clock,
    logger,
    policy: config.delivery,
    onDeadLetter: metrics.deadLettered,
  });
  const feed = new OutboxFeed(deliveries, partners);
  const network = new Network(storage, config, clock, feed);
  partners.onLifecycle({
    registered: (partnerId) => {
      const { tariffs, locations } = network.snapshotFor(partnerId);
      storage.transact(() => feed.initialSync(partnerId, tariffs, locations));
      // Their tokens feed our whitelist; a failure is logged and their later pushes fill the cache anyway.
      void pullTokens(partnerId, { partners, gateway: partnerGateway, logger, store: (id, token) => storage.tokens.put(id, token) }).catch((error: Error) =>
        logger.warn('Pulling the partner’s tokens failed', { partnerId, error }),
      );
    },
    unregistered: (partnerId) => {
      deliveries.cancel(partnerId);
      storage.tokens.deleteForPartner(partnerId);
    },
  });
  const driverTokens = new DriverTokens(storage, network);
  const chargePoints = new ChargePoints({
    host: new ActorHost(chargePointMachine, CHARGE_POINT_MACHINE_VERSION, storage.chargePoints.snapshots, storage.transact, () => clock.now()),
    ids: () => storage.chargePoints.snapshots.ids(),
    sink: network,
    rule: evseStatusOf,
    transact: storage.transact,
    clock,
    logger,
    offlineGraceMs: config.offlineGraceSeconds * 1000,
    deadlines,
    // Sessions and the OCPP gateway are created below; these run only when an operator removes a station.
    removal: {
      registration: { exists: (id) => storage.chargePoints.get(id) !== undefined, delete: (id) => storage.chargePoints.delete(id) },
      sessions: { runningAt: (id) => storage.chargePoints.runningSessions(id), stop: (id, at, reason) => sessions.stop(id, at, undefined, reason) },
      disconnect: (id, reason) => gateway.disconnect(id, reason),
    },
  });
  const sessions = new Sessions({
    host: new ActorHost(sessionMachine, SESSION_MACHINE_VERSION, storage.sessions.snapshots, storage.transact, () => clock.now()),
    store: storage.sessions,
    placeOf: (chargePointId, ocppEvseId, at, tariffType) => network.sessionPlace(chargePointId, ocppEvseId, at, tariffType),
    owner: config.cpo,
    feed: {
      // Guests hear about their sessions in the same transaction as the partners' pushes are queued.
      sessionChanged: (previous, next) => {
        feed.sessionChanged(previous, next);
        guests!.sessionChanged(next);
      },
      cdrCreated: (cdr) => {
        feed.cdrCreated(cdr);
        guests!.cdrCreated(cdr);
      },
    },
    clock,
    logger,
  });
  const realTime = new RealTimeAuthorization({ partners, gateway: partnerGateway, logger, timeoutMs: config.authorizeTimeoutMs });
  const authorizer = new TokenAuthorizer(storage, realTime, (cp, evse) => network.locationReferences(cp, evse), (cp, idTag) => commands.preAuthorized(cp, idTag) ?? guests!.preAuthorized(cp, idTag), clock);
  const handlerDeps = { chargePoints, sessions, authorizer, commands: { reservationUsed: (id: number) => commands.reservationUsed(id) }, config, clock };
  const gateway = createOcppGateway({
    clock,
    stations: storage.chargePoints,
    secrets,
    logger,
    handlers: { 'ocpp1.6': v16Handlers(handlerDeps), 'ocpp2.0.1': v201Handlers(handlerDeps) },
    tap: trace ? taps(metrics.ocpp, trace.tap) : metrics.ocpp,
    events: {
      connected: ({ chargePointId, version }) => chargePoints.connected(chargePointId, version),
      disconnected: ({ chargePointId }) => chargePoints.disconnected(chargePointId),
    },
  });
  const commands = new Commands({
    store: storage.commands,
    location: (partnerId, locationId) => network.location({ partnerId }, locationId),
    binding: (locationId, evseUid) => network.bindingOf(locationId, evseUid),
    session: (id) => sessions.view(id),
    runningOn: (cp, evse) => sessions.runningOn(cp, evse),
    station: { protocolOf: (cp) => chargePoints.view(cp)?.protocol, call: (cp, action, payload, timeoutMs) => gateway.call(cp, action, payload, timeoutMs) },
    reservationSessions: { reserved: (r) => sessions.reserve(r), ended: (cp, id, reason) => sessions.endReservation(cp, id, reason) },
    deliverResult: (partnerId, commandId, responseUrl, result) => feed.commandResult(partnerId, commandId, responseUrl, result),
    transact: storage.transact,
    clock,
    logger,
    timeoutSeconds: config.commandTimeoutSeconds,
    deadlines,
  });
  guests = new GuestSessions({
    host: new ActorHost(guestSessionMachine, GUEST_MACHINE_VERSION, storage.guestSessions.snapshots, storage.transact, () => clock.now()),
    idByIdTag: (idTag) => storage.guestSessions.idByIdTag(idTag),
    ids: () => storage.guestSessions.ids(),
    station: guestStation(storage, chargePoints, gateway),
    payments,
    currencyAt: (cp, evse) => network.sessionPlace(cp, evse, ocpiDateTime(clock.now()), 'AD_HOC_PAYMENT')?.currency,
    runningOn: (cp, evse) => sessions.runningOn(cp, evse),
    session: (id) => {
      const context = sessions.view(id)?.context;
      return context && { transactionId: context.transactionId, protocol: context.protocol };
    },
    enqueue: (job) => deliveries.enqueue(job),
    transact: storage.transact,
    secrets,
    clock,
    logger,
    owner: config.cpo,
    settings: { ...config.guest, callTimeoutSeconds: config.commandTimeoutSeconds },
    deadlines,
  });
  chargePoints.resume();
  deliveries.resume();
  commands.resume();
  guests.resume();

  const apiDeps = { config, clock, secrets, storage, network, partners, chargePoints, gateway, sessions, deliveries, guests, payments: { name: payments.name, isPaymentMethodId } };
  const app = new Elysia()
    .onRequest(({ request, set }) => {
      Object.assign(set.headers, requestIdHeaders(request.headers));
      inboundTrace?.started(request);
    })
    .onRequest(guardBody)
    .onAfterResponse(({ request, set }) => {
      const path = new URL(request.url).pathname;
      if (path.startsWith('/ocpi/')) metrics.ocpiRequest(ocpiModuleOf(path), request.method, typeof set.status === 'number' ? set.status : 200);
    })
    .onAfterResponse((context) => inboundTrace?.finished(context))
    .onError({ as: 'global' }, inboundTrace ? inboundTrace.capturing(renderError(clock, logger)) : renderError(clock, logger))
    .use(docsPlugin())
    .use(opsRoutes({ config, secrets, storage, metrics }))
    .get('/', () => ({ name: 'Dynamo CSMS', ocpi_versions: `${config.publicUrl}/ocpi/versions`, docs: `${config.publicUrl}/swagger` }), {
      detail: { hide: true },
    })
    .use(ocpiPlugin({ config, clock, partners, network, driverTokens, sessions, commands }))
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
  if (options.dev) app.use(devRoutes(devSourcesOf({ network, sessions, deliveries, partners, chargePoints }, () => emspView?.() ?? null)));
  if (options.dev) app.use(devTraceRoute({ storage, sessions }));

  return {
    app,
    gateway,
    storage,
    network,
    partners,
    chargePoints,
    sessions,
    logger,
    deliveries,
    metrics,
    /** The protocol trace recorder (undefined with TRACE=off). */
    trace,
    setEmspView(view: () => unknown) {
      emspView = view;
    },
    close() {
      deadlines.cancelAll();
      deliveries.stopAll();
      partnerHost.stopAll();
      trace?.stop();
      storage.close();
    },
  };
}

export type Service = ReturnType<typeof createApp>;
