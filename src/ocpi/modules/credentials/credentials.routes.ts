import { Elysia } from 'elysia';
import { Credentials } from '../../../model/ocpi/credentials.ts';
import { EmptyEnvelope, envelope, Envelope, OcpiErrorResponses } from '../../transport/envelope.ts';
import { tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

export const credentialsModule: OcpiModule = { identifier: 'credentials', role: 'SENDER' };

/** Registration, rotation and unregistration (OCPI 2.2.1 credentials module); the handshake lives in actors/partner. */
export function credentialsRoutes(deps: OcpiDeps) {
  const { config, clock, partners } = deps;
  return new Elysia({ name: 'ocpi.credentials', prefix: `${cpoBasePath}/credentials`, detail: { tags: ['OCPI credentials'] } })
    .use(tokenAuth(partners, config, 'configuration'))
    .get('', ({ partner }) => envelope(clock, partners.ourCredentialsFor(partner)), {
      response: Envelope(Credentials),
      detail: { summary: 'Our credentials for the calling partner' },
    })
    .post('', async ({ partner, body }) => envelope(clock, await partners.register(partner, body)), {
      body: Credentials,
      response: { 200: Envelope(Credentials), 400: OcpiErrorResponses.invalidParameters },
      detail: { summary: 'Register with token A: we read your versions with your token and return token C' },
    })
    .put('', async ({ partner, body }) => envelope(clock, await partners.update(partner, body)), {
      body: Credentials,
      response: { 200: Envelope(Credentials), 400: OcpiErrorResponses.invalidParameters },
      detail: { summary: 'Update credentials: endpoints re-read, a new token C issued' },
    })
    .delete(
      '',
      ({ partner }) => {
        partners.unregisterByPartner(partner);
        return envelope(clock, undefined);
      },
      { response: EmptyEnvelope, detail: { summary: 'Unregister: both sides\u2019 tokens stop working' } },
    );
}
