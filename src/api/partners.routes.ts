import { Elysia, t } from 'elysia';
import type { PartnerView } from '../../actors/partner/partners.ts';
import { CredentialsRole } from '../model/ocpi/credentials.ts';
import { ClientInfo } from '../model/ocpi/hub-client-info.ts';
import { Endpoint } from '../model/ocpi/versions.ts';
import { Url } from '../model/ocpi/types.ts';
import { ApiErrorBody } from '../model/api/api-responses.ts';
import { credentialsExample, versionDetailsExample } from '../model/ocpi/spec-examples.ts';
import { ApiError } from './api-error.ts';
import type { ApiDeps } from './api-deps.ts';
import { apiKeyAuth, apiSecurity } from './api-key-auth.plugin.ts';

const PartnerSchema = t.Object({
  id: t.String(),
  name: t.Optional(t.String()),
  status: t.Union([t.Literal('invited'), t.Literal('registering'), t.Literal('registered'), t.Literal('unregistered')]),
  initiated_by: t.Union([t.Literal('emsp'), t.Literal('cpo')]),
  roles: t.Array(CredentialsRole),
  parties: t.Array(ClientInfo, {
    description:
      'Every party behind this connection and how it is connected: its credentials roles (PLANNED until registered, CONNECTED while registered, SUSPENDED after), then the parties a hub reported through HubClientInfo',
  }),
  versions_url: t.Optional(t.String()),
  version: t.Optional(t.String()),
  endpoints: t.Array(Endpoint),
  created_at: t.String(),
  registered_at: t.Optional(t.String()),
  unregistered_at: t.Optional(t.String()),
  last_contact_at: t.Optional(t.String()),
}, {
  examples: [
    {
      id: '01JD3Z6M4Q8W7Y2K5T9R0BXC1E',
      name: 'Example eMSP',
      status: 'registered',
      initiated_by: 'cpo',
      roles: [{ ...credentialsExample.roles[0]!, role: 'EMSP' }],
      parties: [{ country_code: credentialsExample.roles[0]!.country_code, party_id: credentialsExample.roles[0]!.party_id, role: 'EMSP', status: 'CONNECTED', last_updated: '2026-11-20T08:00:02.000Z' }],
      versions_url: credentialsExample.url,
      version: '2.2.1',
      endpoints: versionDetailsExample.endpoints,
      created_at: '2026-11-20T08:00:00.000Z',
      registered_at: '2026-11-20T08:00:02.000Z',
      last_contact_at: '2026-11-20T09:12:44.000Z',
    },
  ],
});

/** What an operator sees of a partner; never a token. */
function present(view: PartnerView, parties: ClientInfo[]): typeof PartnerSchema.static {
  const optional = {
    name: view.name,
    versions_url: view.versionsUrl,
    version: view.version,
    registered_at: view.registeredAt,
    unregistered_at: view.unregisteredAt,
    last_contact_at: view.lastContactAt,
  };
  return {
    id: view.id,
    status: view.status,
    initiated_by: view.initiatedBy,
    roles: view.roles ?? [],
    parties,
    endpoints: view.endpoints ?? [],
    created_at: view.createdAt,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/** Operator API for OCPI partners: invitations (eMSP registers with us) and CPO-initiated registration. */
export function partnersRoutes(deps: ApiDeps) {
  const { partners, config } = deps;
  const shown = (view: PartnerView) => present(view, partners.parties(view));
  return new Elysia({ name: 'api.partners', prefix: '/api/v1/ocpi', detail: { tags: ['OCPI partners'], security: apiSecurity } })
    .use(apiKeyAuth(deps))
    .post(
      '/invitations',
      ({ body, set }) => {
        const { partnerId, token, expiresAt } = partners.invite(body?.name);
        set.status = 201;
        return { partner_id: partnerId, token, versions_url: `${config.publicUrl}/ocpi/versions`, expires_at: expiresAt.toISOString() };
      },
      {
        // MaybeEmpty, not Optional: with Optional, Elysia lets any body through unchecked (`true` arrives as `{}`).
        body: t.MaybeEmpty(t.Object({ name: t.Optional(t.String({ maxLength: 100 })) }), { examples: [{ name: 'Example eMSP' }] }),
        response: {
          201: t.Object(
            { partner_id: t.String(), token: t.String({ description: 'CREDENTIALS_TOKEN_A, shown once' }), versions_url: t.String(), expires_at: t.String() },
            {
              examples: [
                {
                  partner_id: '01JD3Z6M4Q8W7Y2K5T9R0BXC1E',
                  token: 'ebf3b399-779f-4497-9b9d-ac6ad3cc44d2',
                  versions_url: 'https://csms.example.com/ocpi/versions',
                  expires_at: '2026-11-27T08:00:00.000Z',
                },
              ],
            },
          ),
        },
        detail: { summary: 'Create a token A for an eMSP to register with us' },
      },
    )
    .post(
      '/partners',
      async ({ body, set }) => {
        set.status = 201;
        return shown(await partners.registerWith(body.versions_url, body.token, body.name));
      },
      {
        body: t.Object({
          versions_url: Url,
          token: t.String({ minLength: 1, maxLength: 64, description: 'The token A the eMSP gave us' }),
          name: t.Optional(t.String({ maxLength: 100 })),
        }, { examples: [{ versions_url: credentialsExample.url, token: credentialsExample.token, name: 'Example eMSP' }] }),
        response: { 201: PartnerSchema },
        detail: { summary: 'Register with an eMSP using its versions URL and token A' },
      },
    )
    .get('/partners', () => partners.list().map(shown), { response: t.Array(PartnerSchema), detail: { summary: 'All partners' } })
    .get(
      '/partners/:id',
      ({ params }) => {
        const view = partners.view(params.id);
        if (!view) throw new ApiError(404, 'not_found', `No partner ${params.id}`);
        return shown(view);
      },
      { params: t.Object({ id: t.String() }), response: PartnerSchema, detail: { summary: 'One partner: roles, the parties behind it and their status, endpoints, last contact' } },
    )
    .delete(
      '/partners/:id',
      async ({ params }) => {
        const result = await partners.unregisterByOperator(params.id);
        if (!result) throw new ApiError(404, 'not_found', `No partner ${params.id}`);
        return { ...shown(result.view), ...(result.remoteError ? { remote_error: result.remoteError } : {}) };
      },
      {
        params: t.Object({ id: t.String() }),
        response: {
          200: t.Object(
            { ...PartnerSchema.properties, remote_error: t.Optional(t.String()) },
            {
              examples: [
                { ...PartnerSchema.examples[0], status: 'unregistered', unregistered_at: '2026-11-21T10:00:00.000Z', remote_error: 'DELETE credentials answered HTTP 405' },
              ],
            },
          ),
          404: ApiErrorBody,
        },
        detail: { summary: 'Unregister: calls the partner\u2019s credentials DELETE, then stops all exchange' },
      },
    );
}
