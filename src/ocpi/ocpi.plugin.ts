import { Elysia } from 'elysia';
import { credentialsModule, credentialsRoutes } from './modules/credentials/credentials.routes.ts';
import { locationsModule, locationsRoutes } from './modules/locations/locations.routes.ts';
import { tariffsModule, tariffsRoutes } from './modules/tariffs/tariffs.routes.ts';
import { tokensModule, tokensRoutes } from './modules/tokens/tokens.routes.ts';
import { versionsRoutes } from './modules/versions/versions.routes.ts';
import { sessionsModule, sessionsRoutes } from './modules/sessions/sessions.routes.ts';
import { cdrsModule, cdrsRoutes } from './modules/cdrs/cdrs.routes.ts';
import { commandsModule, commandsRoutes } from './modules/commands/commands.routes.ts';
import { hubClientInfoModule, hubClientInfoRoutes } from './modules/hubclientinfo/hubclientinfo.routes.ts';
import { chargingProfilesModule, chargingProfilesRoutes } from './modules/chargingprofiles/chargingprofiles.routes.ts';
import type { OcpiDeps } from './ocpi-deps.ts';
import { OcpiErrorResponses } from './transport/envelope.ts';

/** Every OCPI 2.2.1 module we serve; the version details list is generated from this, never kept by hand. */
export function ocpiPlugin(deps: OcpiDeps) {
  const mounted = [
    { module: credentialsModule, routes: credentialsRoutes },
    { module: locationsModule, routes: locationsRoutes },
    { module: tariffsModule, routes: tariffsRoutes },
    { module: tokensModule, routes: tokensRoutes },
    { module: sessionsModule, routes: sessionsRoutes },
    { module: cdrsModule, routes: cdrsRoutes },
    { module: commandsModule, routes: commandsRoutes },
    { module: hubClientInfoModule, routes: hubClientInfoRoutes },
    { module: chargingProfilesModule, routes: chargingProfilesRoutes },
  ];
  // Configuration modules carry no routing headers (OCPI 2.2.1 transport_and_format, message routing).
  const isConfiguration = (m: (typeof mounted)[number]) => m.module === credentialsModule || m.module === hubClientInfoModule;
  const configuration = mounted.filter(isConfiguration);
  const functional = mounted.filter((m) => !isConfiguration(m));
  // Error envelopes every route can answer (for the OpenAPI document; the error renderer writes them): any route
  // without a valid token gets 401; every functional request checks its routing headers (400 + 2001).
  return new Elysia({ name: 'ocpi' }).guard({ response: { 401: OcpiErrorResponses.unauthorized } }, (app) =>
    app
      .use(versionsRoutes(deps, mounted.map((m) => m.module)))
      .use(configuration.map((m) => m.routes(deps)))
      .guard({ response: { 400: OcpiErrorResponses.invalidParameters } }, (checked) => checked.use(functional.map((m) => m.routes(deps)))),
  );
}
