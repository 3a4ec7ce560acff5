import { Elysia, t } from 'elysia';
import { Type } from '@sinclair/typebox';
import { GuestRefusal } from '../../actors/guest/guest-error.ts';
import type { GuestView } from '../../actors/guest/guest-sessions.ts';
import { currencyMinorUnits, dec } from '../domain/money.ts';
import { receiptFromCdr } from '../domain/receipt/cdr-receipt.ts';
import { binaryResponse, jsonResponse } from '../model/api/api-responses.ts';
import { ApiError } from './api-error.ts';
import type { ApiDeps } from './api-deps.ts';
import { apiKeyAuth, apiSecurity } from './api-key-auth.plugin.ts';

const GuestStatus = t.Union([
  t.Literal('authorizing'),
  t.Literal('starting'),
  t.Literal('charging'),
  t.Literal('stopping'),
  t.Literal('stopped'),
  t.Literal('failed'),
  t.Literal('expired'),
  t.Literal('cancelled'),
]);
const exampleToken = 'u9X2cJq4LmT7vR1sWb8KfN3hYe6DzA0p';
const statusExample = {
  session_token: exampleToken,
  status: 'charging',
  energy_kwh: 7.412,
  cost_so_far: 3.26,
  currency: 'EUR',
  started_at: '2026-11-20T09:00:04.000Z',
  session_id: '01JD3Z6M4Q8W7Y2K5T9R0BXC1E',
};
const Status = t.Object({
  session_token: t.String(),
  status: GuestStatus,
  energy_kwh: t.Number(),
  cost_so_far: t.Number({ description: 'incl. VAT' }),
  currency: t.String(),
  started_at: t.Optional(t.String()),
  ended_at: t.Optional(t.String()),
  final_cost: t.Optional(t.Number({ description: 'charged, incl. VAT' })),
  reason: t.Optional(t.String()),
  session_id: t.Optional(t.String()),
  cdr_id: t.Optional(t.String()),
}, { examples: [statusExample] });
const PaymentTrail = t.Object({
  provider: t.String(),
  status: t.String(),
  held: t.Number(),
  captured: t.Number(),
  released: t.Number(),
  shortfall: t.Number(),
  brand: t.Optional(t.String()),
  last4: t.Optional(t.String()),
  reference: t.Optional(t.String()),
  calls: t.Array(t.Object({ step: t.String(), idempotency_key: t.String(), outcome: t.String(), amount: t.Optional(t.Number()), reference: t.Optional(t.String()), at: t.String() })),
});
const Refusal = t.Object(
  { error: t.String(), message: t.String(), reason: t.Optional(t.String()), retryable: t.Optional(t.Boolean()) },
  { examples: [{ error: 'connector_occupied', message: 'A transaction is already running on this connector', reason: 'connector_occupied' }] },
);
const paymentExample = {
  provider: 'simulated',
  status: 'captured',
  held: 50,
  captured: 12.35,
  released: 37.65,
  shortfall: 0,
  brand: 'visa',
  last4: '4242',
  reference: 'pi_3QhXc2LkdIwHu7ix0',
  calls: [
    { step: 'hold', idempotency_key: 'guest:01JD3Z5X2N7Q4R8S6T0V1W3Y5Z:hold', outcome: 'held', amount: 50, reference: 'pi_3QhXc2LkdIwHu7ix0', at: '2026-11-20T09:00:01.000Z' },
    { step: 'capture', idempotency_key: 'guest:01JD3Z5X2N7Q4R8S6T0V1W3Y5Z:capture', outcome: 'captured', amount: 12.35, reference: 'pi_3QhXc2LkdIwHu7ix0', at: '2026-11-20T10:02:11.000Z' },
  ],
};
const TokenParam = t.Object({ session_token: t.String({ minLength: 16, maxLength: 64 }) });

/** Minor units → the decimal amount shown (e.g. 1235 EUR cents → 12.35). */
const major = (minor: number, currency: string) => dec(minor).div(dec(10 ** currencyMinorUnits(currency))).toNumber();

function status(token: string, g: GuestView): typeof Status.static {
  const optional = {
    started_at: g.startedAt,
    ended_at: g.endedAt,
    final_cost: g.chargedMinor === undefined ? undefined : major(g.chargedMinor, g.currency),
    reason: g.reason,
    session_id: g.sessionId,
    cdr_id: g.cdrId,
  };
  return {
    session_token: token,
    status: g.state,
    energy_kwh: g.energyKwh,
    cost_so_far: dec(g.costInclVat).round(currencyMinorUnits(g.currency), 1).toNumber(),
    currency: g.currency,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/** Guest charging paid by card, for the operator's app or QR page (operator API key, as the rest of /api/v1). */
export function guestSessionsRoutes(deps: ApiDeps) {
  const { guests, config, sessions, network, payments } = deps;
  const find = (token: string) => {
    const view = guests.byToken(token);
    if (!view) throw new ApiError(404, 'not_found', 'Unknown session token');
    return view;
  };
  const refuse = (error: unknown) => {
    if (error instanceof GuestRefusal)
      throw new ApiError(error.status, error.reason, error.message, { reason: error.reason, ...(error.retryable ? { retryable: true } : {}) });
    throw error;
  };
  return new Elysia({ name: 'api.guest-sessions', prefix: '/api/v1/sessions/guest', detail: { tags: ['Guest charging'], security: apiSecurity } })
    .use(apiKeyAuth(deps))
    .post(
      '/authorize',
      async ({ body, set }) => {
        const { token, view } = await guests
          .authorize({ chargePointId: body.charge_point_id, connectorId: body.connector_id, paymentMethodId: body.payment_method_id }, payments.isPaymentMethodId)
          .catch(refuse);
        set.status = 201;
        return { session_token: token, charge_point_id: view.chargePointId, connector_id: view.ocppEvseId, status: view.state, expires_at: view.expiresAt };
      },
      {
        body: t.Object({
          charge_point_id: t.String({ minLength: 1, maxLength: 48 }),
          connector_id: Type.Integer({ minimum: 1, description: 'OCPP 1.6 connectorId, or the OCPP 2.0.1 evseId' }),
          payment_method_id: t.String({ minLength: 1, maxLength: 255, description: 'e.g. pm_card_visa' }),
        }, { examples: [{ charge_point_id: 'CP001', connector_id: 1, payment_method_id: 'pm_card_visa' }] }),
        response: {
          201: t.Object(
            { session_token: t.String(), charge_point_id: t.String(), connector_id: Type.Integer(), status: GuestStatus, expires_at: t.String() },
            { examples: [{ session_token: exampleToken, charge_point_id: 'CP001', connector_id: 1, status: 'starting', expires_at: '2026-11-20T09:02:00.000Z' }] },
          ),
          400: Refusal,
          402: Refusal,
          404: Refusal,
          409: Refusal,
          502: Refusal,
        },
        detail: { summary: `Hold ${config.guest.holdAmount} on the card and start charging on the connector` },
      },
    )
    .get('/:session_token/status', ({ params }) => status(params.session_token, find(params.session_token)), {
      params: TokenParam,
      response: { 200: Status, 404: Refusal },
      detail: { summary: 'Live status: energy and running cost incl. VAT (the CDR’s figures for the same readings)' },
    })
    .post(
      '/:session_token/stop',
      async ({ params }) => {
        find(params.session_token);
        return status(params.session_token, (await guests.stop(params.session_token))!);
      },
      { params: TokenParam, response: { 200: Status, 404: Refusal }, detail: { summary: 'Stop, wait for the charge point (bounded), capture the final amount' } },
    )
    .get(
      '/:session_token/receipt',
      async ({ params }) => {
        const guest = find(params.session_token);
        const cdr = guest.sessionId ? sessions.view(guest.sessionId)?.cdr : undefined;
        const capture = guest.payments.find((p) => p.step === 'capture' && p.outcome === 'captured');
        if (guest.state !== 'stopped' || !cdr || !capture) throw new ApiError(409, 'not_ready', `No receipt yet: the session is ${guest.state}`);
        const timeZone = network.location('operator', cdr.cdr_location.id)?.time_zone ?? 'UTC';
        const operator = { name: config.cpo.name, website: config.cpo.website ?? config.publicUrl };
        // Loaded on the first receipt: pdf-lib and its font engine would add a third of a second to every start.
        const { renderReceipt } = await import('../domain/receipt/receipt-pdf.ts');
        const pdf = await renderReceipt(
          receiptFromCdr(cdr, timeZone, operator, {
            charged: String(major(guest.chargedMinor ?? 0, guest.currency)),
            reference: capture.reference ?? guest.holdReference ?? '',
            ...(guest.brand ? { brand: guest.brand } : {}),
            ...(guest.last4 ? { last4: guest.last4 } : {}),
          }, String(guest.ocppEvseId)),
        );
        return new Response(pdf, { headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="receipt-${cdr.id}.pdf"` } });
      },
      {
        params: TokenParam,
        // Written out, not a `response` map: the plugin would render a binary body as text/plain.
        detail: {
          summary: 'PDF receipt of a stopped, captured session (409 before)',
          responses: {
            200: binaryResponse('The receipt (inline, receipt-<cdr id>.pdf)', 'application/pdf'),
            404: jsonResponse('Unknown session token', Refusal),
            409: jsonResponse('No receipt yet: the session has not stopped or its payment is not captured', Refusal),
          },
        },
      },
    )
    .get(
      '/:session_token',
      ({ params }) => {
        const guest = find(params.session_token);
        const trail: typeof PaymentTrail.static = {
          provider: payments.name,
          status: guest.capturedMinor !== undefined ? 'captured' : guest.releasedMinor !== undefined ? 'released' : guest.holdReference ? 'held' : 'none',
          held: guest.holdReference ? major(guest.holdMinor, guest.currency) : 0,
          captured: major(guest.capturedMinor ?? 0, guest.currency),
          released: major(guest.releasedMinor ?? 0, guest.currency),
          shortfall: major(guest.shortfallMinor ?? 0, guest.currency),
          ...(guest.brand ? { brand: guest.brand } : {}),
          ...(guest.last4 ? { last4: guest.last4 } : {}),
          ...(guest.holdReference ? { reference: guest.holdReference } : {}),
          calls: guest.payments.map((c) => ({
            step: c.step,
            idempotency_key: c.idempotencyKey,
            outcome: c.outcome,
            at: c.at,
            ...(c.amountMinor !== undefined ? { amount: major(c.amountMinor, guest.currency) } : {}),
            ...(c.reference ? { reference: c.reference } : {}),
          })),
        };
        return { ...status(params.session_token, guest), charge_point_id: guest.chargePointId, connector_id: guest.ocppEvseId, expires_at: guest.expiresAt, payment: trail };
      },
      {
        params: TokenParam,
        response: {
          200: t.Object(
            { ...Status.properties, charge_point_id: t.String(), connector_id: Type.Integer(), expires_at: t.String(), payment: PaymentTrail },
            {
              examples: [
                {
                  ...statusExample,
                  status: 'stopped',
                  ended_at: '2026-11-20T10:02:05.000Z',
                  final_cost: 12.35,
                  energy_kwh: 28.07,
                  cost_so_far: 12.35,
                  cdr_id: '01JD41B0F8W7Y2K5T9R0BXC1EQ',
                  charge_point_id: 'CP001',
                  connector_id: 1,
                  expires_at: '2026-11-20T09:02:00.000Z',
                  payment: paymentExample,
                },
              ],
            },
          ),
          404: Refusal,
        },
        detail: { summary: 'Operator view with the payment trail (every provider call with its idempotency key)' },
      },
    );
}
