import { Elysia } from 'elysia';
import { credentialsModule, credentialsRoutes } from './modules/credentials/credentials.routes.ts';
import { locationsModule, locationsRoutes } from './modules/locations/locations.routes.ts';
import { tariffsModule, tariffsRoutes } from './modules/tariffs/tariffs.routes.ts';
import { tokensModule, tokensRoutes } from './modules/tokens/tokens.routes.ts';
import { versionsRoutes } from './modules/versions/versions.routes.ts';
import { sessionsModule, sessionsRoutes } from './modules/sessions/sessions.routes.ts';
import { cdrsModule, cdrsRoutes } from './modules/cdrs/cdrs.routes.ts';
import { commandsModule, commandsRoutes } from './modules/commands/commands.routes.ts';
import type { OcpiDeps } from './ocpi-deps.ts';

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
  ];
  return new Elysia({ name: 'ocpi' })
    .use(versionsRoutes(deps, mounted.map((m) => m.module)))
    .use(mounted.map((m) => m.routes(deps)));
}
