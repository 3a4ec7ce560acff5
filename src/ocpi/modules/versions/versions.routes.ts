import { Elysia, t } from 'elysia';
import { Version, VersionDetails } from '../../../model/ocpi/versions.ts';
import { envelope, Envelope } from '../../transport/envelope.ts';
import { tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, OCPI_VERSION, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

/** Version list and 2.2.1 details; the endpoint list is generated from the modules mounted, never a hand list. */
export function versionsRoutes(deps: OcpiDeps, modules: OcpiModule[]) {
  const { config, clock, partners } = deps;
  return new Elysia({ name: 'ocpi.versions', prefix: '/ocpi/versions', detail: { tags: ['OCPI versions'] } })
    .use(tokenAuth(partners, config, 'configuration'))
    .get('', () => envelope(clock, [{ version: OCPI_VERSION, url: `${config.publicUrl}/ocpi/versions/${OCPI_VERSION}` }]), {
      response: Envelope(t.Array(Version)),
      detail: { summary: 'Versions we support (token A, B or C)' },
    })
    .get(
      `/${OCPI_VERSION}`,
      () =>
        envelope(clock, {
          version: OCPI_VERSION,
          endpoints: modules.map((m) => ({ identifier: m.identifier, role: m.role, url: `${config.publicUrl}${cpoBasePath}/${m.identifier}` })),
        }),
      { response: Envelope(VersionDetails), detail: { summary: 'Modules we serve in OCPI 2.2.1, with our role' } },
    );
}
