import { Elysia, t } from 'elysia';
import type { PartnerView } from '../../actors/partner/partners.ts';
import { CredentialsRole } from '../model/ocpi/credentials.ts';
import { Endpoint } from '../model/ocpi/versions.ts';
import { Url } from '../model/ocpi/types.ts';
import { ApiError } from './api-error.ts';
import type { ApiDeps } from './api-deps.ts';
import { apiKeyAuth, apiSecurity } from './api-key-auth.plugin.ts';

const PartnerSchema = t.Object({
  id: t.String(),
  name: t.Optional(t.String()),
  status: t.Union([t.Literal('invited'), t.Literal('registering'), t.Literal('registered'), t.Literal('unregistered')]),
  initiated_by: t.Union([t.Literal('emsp'), t.Literal('cpo')]),
  roles: t.Array(CredentialsRole),
  versions_url: t.Optional(t.String()),
  version: t.Optional(t.String()),
  endpoints: t.Array(Endpoint),
  created_at: t.String(),
  registered_at: t.Optional(t.String()),
  unregistered_at: t.Optional(t.String()),
  last_contact_at: t.Optional(t.String()),
  last_error: t.Optional(t.String()),
});

/** What an operator sees of a partner; never a token. */
function present(view: PartnerView): typeof PartnerSchema.static {
  const optional = {
    name: view.name,
    versions_url: view.versionsUrl,
    version: view.version,
    registered_at: view.registeredAt,
    unregistered_at: view.unregisteredAt,
    last_contact_at: view.lastContactAt,
    last_error: view.lastError,
  };
  return {
    id: view.id,
    status: view.status,
    initiated_by: view.initiatedBy,
    roles: view.roles ?? [],
    endpoints: view.endpoints ?? [],
    created_at: view.createdAt,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/** Operator API for OCPI partners: invitations (eMSP registers with us) and CPO-initiated registration. */
export function partnersRoutes(deps: ApiDeps) {
  const { partners, config } = deps;
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
        body: t.MaybeEmpty(t.Object({ name: t.Optional(t.String({ maxLength: 100 })) })),
        response: { 201: t.Object({ partner_id: t.String(), token: t.String({ description: 'CREDENTIALS_TOKEN_A, shown once' }), versions_url: t.String(), expires_at: t.String() }) },
        detail: { summary: 'Create a token A for an eMSP to register with us' },
      },
    )
    .post(
      '/partners',
      async ({ body, set }) => {
        set.status = 201;
        return present(await partners.registerWith(body.versions_url, body.token, body.name));
      },
      {
        body: t.Object({
          versions_url: Url,
          token: t.String({ minLength: 1, maxLength: 64, description: 'The token A the eMSP gave us' }),
          name: t.Optional(t.String({ maxLength: 100 })),
        }),
        response: { 201: PartnerSchema },
        detail: { summary: 'Register with an eMSP using its versions URL and token A' },
      },
    )
    .get('/partners', () => partners.list().map(present), { response: t.Array(PartnerSchema), detail: { summary: 'All partners' } })
    .get(
      '/partners/:id',
      ({ params }) => {
        const view = partners.view(params.id);
        if (!view) throw new ApiError(404, 'not_found', `No partner ${params.id}`);
        return present(view);
      },
      { params: t.Object({ id: t.String() }), response: PartnerSchema, detail: { summary: 'One partner: roles, status, endpoints, last contact' } },
    )
    .delete(
      '/partners/:id',
      async ({ params }) => {
        const result = await partners.unregisterByOperator(params.id);
        if (!result) throw new ApiError(404, 'not_found', `No partner ${params.id}`);
        return { ...present(result.view), ...(result.remoteError ? { remote_error: result.remoteError } : {}) };
      },
      {
        params: t.Object({ id: t.String() }),
        response: t.Object({ ...PartnerSchema.properties, remote_error: t.Optional(t.String()) }),
        detail: { summary: 'Unregister: calls the partner\u2019s credentials DELETE, then stops all exchange' },
      },
    );
}
