import { Elysia, t } from 'elysia';
import { generateSecret } from '../lib/secrets.ts';
import { ApiError } from './api-error.ts';
import type { ApiDeps } from './api-deps.ts';
import { apiKeyAuth, apiSecurity } from './api-key-auth.plugin.ts';

const ChargePointId = t.Object({ id: t.String({ minLength: 1, maxLength: 48, pattern: '^[\\x21-\\x7E]+$' }) });
const ChargePointView = t.Object({ id: t.String(), created_at: t.String(), updated_at: t.String() });
const ApiKeyView = t.Object({ id: t.String(), name: t.String(), created_at: t.String(), revoked_at: t.Optional(t.String()) });

/** Operator API for charge point registration (OCPP Basic-auth passwords) and for API keys. */
export function operatorsRoutes(deps: ApiDeps) {
  const { storage, secrets, clock } = deps;
  const cpView = (row: { id: string; createdAt: string; updatedAt: string }) => ({ id: row.id, created_at: row.createdAt, updated_at: row.updatedAt });
  return new Elysia({ name: 'api.operators', prefix: '/api/v1', detail: { security: apiSecurity } })
    .use(apiKeyAuth(deps))
    .put(
      '/charge-points/:id',
      ({ params, body, set }) => {
        const now = clock.now().toISOString();
        const { created } = storage.chargePoints.put(params.id, secrets.hash(body.password), now);
        set.status = created ? 201 : 200;
        return cpView(storage.chargePoints.get(params.id)!);
      },
      {
        params: ChargePointId,
        // OCPP security profile 1: Basic-auth password of 16–40 characters (OCPP 1.6 security whitepaper / 2.0.1).
        body: t.Object({ password: t.String({ minLength: 16, maxLength: 40 }) }),
        response: { 200: ChargePointView, 201: ChargePointView },
        detail: { tags: ['Charge points'], summary: 'Register a charge point and its Basic-auth password (stored hashed)' },
      },
    )
    .get('/charge-points', () => storage.chargePoints.list().map(cpView), {
      response: t.Array(ChargePointView),
      detail: { tags: ['Charge points'], summary: 'Registered charge points' },
    })
    .get(
      '/charge-points/:id',
      ({ params }) => {
        const row = storage.chargePoints.get(params.id);
        if (!row) throw new ApiError(404, 'not_found', `No charge point ${params.id}`);
        return cpView(row);
      },
      { params: ChargePointId, response: ChargePointView, detail: { tags: ['Charge points'], summary: 'One charge point' } },
    )
    .delete(
      '/charge-points/:id',
      ({ params, set }) => {
        if (!storage.chargePoints.delete(params.id)) throw new ApiError(404, 'not_found', `No charge point ${params.id}`);
        set.status = 204;
      },
      { params: ChargePointId, detail: { tags: ['Charge points'], summary: 'Remove a charge point' } },
    )
    .post(
      '/api-keys',
      ({ body, set }) => {
        const key = generateSecret();
        const id = crypto.randomUUID();
        const createdAt = clock.now().toISOString();
        storage.apiKeys.create({ id, name: body.name, keyHash: secrets.hash(key), createdAt });
        set.status = 201;
        return { id, name: body.name, created_at: createdAt, key };
      },
      {
        body: t.Object({ name: t.String({ minLength: 1, maxLength: 100 }) }),
        response: { 201: t.Object({ id: t.String(), name: t.String(), created_at: t.String(), key: t.String({ description: 'Shown once; stored hashed' }) }) },
        detail: { tags: ['API keys'], summary: 'Create an API key (the key is shown only in this response)' },
      },
    )
    .get(
      '/api-keys',
      () => storage.apiKeys.list().map((k) => ({ id: k.id, name: k.name, created_at: k.createdAt, ...(k.revokedAt ? { revoked_at: k.revokedAt } : {}) })),
      { response: t.Array(ApiKeyView), detail: { tags: ['API keys'], summary: 'API keys (never the keys themselves)' } },
    )
    .delete(
      '/api-keys/:id',
      ({ params, set }) => {
        if (!storage.apiKeys.revoke(params.id, clock.now().toISOString())) throw new ApiError(404, 'not_found', `No active API key ${params.id}`);
        set.status = 204;
      },
      { params: t.Object({ id: t.String() }), detail: { tags: ['API keys'], summary: 'Revoke an API key' } },
    );
}
