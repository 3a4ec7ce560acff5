/** Our version list and 2.2.1 details (OCPI 2.2.1 versions module), open to token A, B and C alike. */
import type { Version, VersionDetails } from '../../model/ocpi/versions.ts';
import type { EmspContext } from './context.ts';
import { ok } from './envelope.ts';
import { DETAILS_PATH, OCPI_VERSION, PUBLISHED_ENDPOINTS, VERSIONS_PATH } from './paths.ts';
import type { Route } from './router.ts';

export function versionsRoutes(ctx: EmspContext): Route[] {
  return [
    {
      method: 'GET',
      path: VERSIONS_PATH,
      access: 'configuration',
      handle: () => ok([{ version: OCPI_VERSION, url: ctx.urls.details }] satisfies Version[]),
    },
    {
      method: 'GET',
      path: DETAILS_PATH,
      access: 'configuration',
      handle: () =>
        ok({
          version: OCPI_VERSION,
          endpoints: PUBLISHED_ENDPOINTS.map((e) => ({ identifier: e.identifier, role: e.role, url: ctx.urls.module(e.identifier) })),
        } satisfies VersionDetails),
    },
  ];
}
