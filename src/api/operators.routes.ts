import { Elysia, t } from 'elysia';
import { Type } from '@sinclair/typebox';
import { parseStatusKey } from '../domain/evse-status.ts';
import { generateSecret } from '../lib/secrets.ts';
import { deleteResponses } from '../model/api/api-responses.ts';
import { ApiError } from './api-error.ts';
import type { ApiDeps } from './api-deps.ts';
import { apiKeyAuth, apiSecurity } from './api-key-auth.plugin.ts';

const ChargePointId = t.Object({ id: t.String({ minLength: 1, maxLength: 48, pattern: '^[\\x21-\\x7E]+$' }) });
const ChargePointView = t.Object(
  {
    id: t.String(),
    created_at: t.String(),
    updated_at: t.String(),
    connected: t.Boolean(),
    state: t.Union([t.Literal('never-connected'), t.Literal('disconnected'), t.Literal('connected'), t.Literal('booted')]),
    protocol: t.Optional(t.String()),
    last_seen_at: t.Optional(t.String()),
    connected_at: t.Optional(t.String()),
    disconnected_at: t.Optional(t.String()),
    boot: t.Optional(
      t.Object({ vendor: t.String(), model: t.String(), serial_number: t.Optional(t.String()), firmware_version: t.Optional(t.String()), at: t.String() }),
    ),
    connectors: t.Array(
      t.Object({ evse_id: Type.Integer(), connector_id: t.Optional(Type.Integer()), status: t.String(), error_code: t.Optional(t.String()), at: t.String() }),
    ),
  },
  {
    examples: [
      {
        id: 'CP001',
        created_at: '2026-11-20T08:00:00.000Z',
        updated_at: '2026-11-20T08:00:00.000Z',
        connected: true,
        state: 'booted',
        protocol: 'ocpp1.6',
        last_seen_at: '2026-11-20T09:14:03.512Z',
        connected_at: '2026-11-20T08:01:12.004Z',
        boot: { vendor: 'Alfen BV', model: 'NG920', serial_number: 'ACE0123456', firmware_version: '6.4.0', at: '2026-11-20T08:01:12.210Z' },
        connectors: [
          { evse_id: 1, status: 'Charging', error_code: 'NoError', at: '2026-11-20T09:00:01.000Z' },
          { evse_id: 2, status: 'Available', error_code: 'NoError', at: '2026-11-20T08:01:13.000Z' },
        ],
      },
    ],
  },
);
const ApiKeyView = t.Object(
  { id: t.String(), name: t.String(), created_at: t.String(), revoked_at: t.Optional(t.String()) },
  { examples: [{ id: '5f0c6c1e-8d7a-4f1b-9a43-2b7d9c1e0a11', name: 'billing export', created_at: '2026-11-20T08:00:00.000Z' }] },
);

/** Operator API for charge point registration (OCPP Basic-auth passwords) and for API keys. */
export function operatorsRoutes(deps: ApiDeps) {
  const { storage, secrets, clock, chargePoints, removeChargePoint, gateway } = deps;
  /** Registration plus the live state of the station's actor: connection, protocol, boot, last seen, statuses. */
  const cpView = (row: { id: string; createdAt: string; updatedAt: string }): typeof ChargePointView.static => {
    const live = chargePoints.view(row.id);
    const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    return {
      id: row.id,
      created_at: row.createdAt,
      updated_at: row.updatedAt,
      connected: gateway.isConnected(row.id),
      state: live?.state ?? 'never-connected',
      ...defined({
        protocol: live?.protocol,
        last_seen_at: live?.lastSeenAt,
        connected_at: live?.connectedAt,
        disconnected_at: live?.disconnectedAt,
        boot: live?.boot && defined({ vendor: live.boot.vendor, model: live.boot.model, serial_number: live.boot.serialNumber, firmware_version: live.boot.firmwareVersion, at: live.boot.at }),
      }),
      // By EVSE, then connector (the station's own status, EVSE 0, first): not in the order the station first reported them.
      connectors: Object.entries(live?.evses ?? {})
        .map(([key, s]) => {
          const { evseId, connectorId } = parseStatusKey(key);
          return defined({ evse_id: evseId, connector_id: connectorId, status: s.status, error_code: s.errorCode, at: s.at });
        })
        .sort((a, b) => a.evse_id - b.evse_id || (a.connector_id ?? -1) - (b.connector_id ?? -1)),
    };
  };
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
        body: t.Object({ password: t.String({ minLength: 16, maxLength: 40 }) }, { examples: [{ password: 'x7Kq2mVn9LpR4tWz8bYc' }] }),
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
      { params: ChargePointId, response: ChargePointView, detail: { tags: ['Charge points'], summary: 'One charge point with its live state (connection, protocol, last seen, connectors)' } },
    )
    .delete(
      '/charge-points/:id',
      async ({ params, set }) => {
        // Through the charge point's actor: sessions stopped (with their CDRs), timers cancelled, socket closed.
        if (!(await removeChargePoint(params.id))) throw new ApiError(404, 'not_found', `No charge point ${params.id}`);
        set.status = 204;
      },
      {
        params: ChargePointId,
        detail: {
          tags: ['Charge points'],
          summary: 'Remove a charge point: its running sessions are stopped (each with its CDR), its socket closed, its id refused from then on',
          responses: deleteResponses('Removed', 'No such charge point'),
        },
      },
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
        body: t.Object({ name: t.String({ minLength: 1, maxLength: 100 }) }, { examples: [{ name: 'billing export' }] }),
        response: {
          201: t.Object(
            { id: t.String(), name: t.String(), created_at: t.String(), key: t.String({ description: 'Shown once; stored hashed' }) },
            { examples: [{ id: '5f0c6c1e-8d7a-4f1b-9a43-2b7d9c1e0a11', name: 'billing export', created_at: '2026-11-20T08:00:00.000Z', key: 'q3J9v0b7xXkz2Lr8WcN5tYp1Hs6Ue4Ad' }] },
          ),
        },
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
      { params: t.Object({ id: t.String() }), detail: { tags: ['API keys'], summary: 'Revoke an API key', responses: deleteResponses('Revoked', 'No such active API key') } },
    );
}
