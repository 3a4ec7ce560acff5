/**
 * One outgoing OCPI call over plain `fetch`, for both sides we play (our partner client and the simulated eMSP):
 * Base64 token header (OCPI 2.2.1), fresh request and correlation ids, a timeout, the routing headers of a
 * functional-module call, and the envelope read even on 4xx/5xx because partners put the reason there. Rejects
 * only when no HTTP answer came (network error, timeout).
 */
import { tokenHeader } from '../../domain/credentials-token.ts';
import type { Clock } from '../../lib/clock.ts';

/** A party as OCPI names it in roles and routing headers. */
export interface RoutingParty {
  country_code: string;
  party_id: string;
}

export interface OcpiCall {
  method: string;
  url: string;
  token: string;
  body?: unknown;
  /**
   * Set on every call to a functional module (locations, sessions, cdrs, tariffs, tokens, commands), never on
   * configuration modules (versions, credentials): OCPI 2.2.1 §1.9. `to` is omitted when the addressee is unknown.
   */
  routing?: { from: RoutingParty; to?: RoutingParty | undefined };
  /** Further headers. */
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Whose time the timeout runs on (the server's Clock, so a test can move it); real time when absent. */
  clock?: Clock | undefined;
  /** Told how the call went, answered or not (the protocol trace listens here). Never sees the token. */
  observe?: ((observation: OcpiObservation) => void) | undefined;
}

/** One finished outgoing call, as the protocol trace records it. */
export interface OcpiObservation {
  method: string;
  url: string;
  body: unknown;
  to: RoutingParty | undefined;
  requestId: string;
  correlationId: string;
  durationMs: number;
  /** HTTP status and parsed body when an answer came. */
  status?: number;
  envelope?: unknown;
  code?: number | undefined;
  /** Why no answer came (network error, timeout). */
  error?: string;
}

/** OCPI-from-* / OCPI-to-* for a direct (hub-less) connection: from = requesting party, to = receiving party. */
export function routingHeaders({ from, to }: NonNullable<OcpiCall['routing']>): Record<string, string> {
  return {
    'ocpi-from-country-code': from.country_code,
    'ocpi-from-party-id': from.party_id,
    ...(to ? { 'ocpi-to-country-code': to.country_code, 'ocpi-to-party-id': to.party_id } : {}),
  };
}

export interface OcpiAnswer {
  response: Response;
  /** The parsed body, when it was JSON. */
  envelope: { status_code?: unknown; status_message?: unknown; data?: unknown } | undefined;
  /** OCPI status_code, when the body was an envelope. */
  code: number | undefined;
  message: string;
}

/** Aborts after `timeoutMs` on `clock`, or on real time (AbortSignal.timeout) without one; `done` disarms it. */
function timeoutSignal(timeoutMs: number, clock: Clock | undefined): { signal: AbortSignal; done: () => void } {
  if (!clock) return { signal: AbortSignal.timeout(timeoutMs), done: () => {} };
  const controller = new AbortController();
  const done = clock.at(clock.now().getTime() + timeoutMs, () => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')));
  return { signal: controller.signal, done };
}

export async function ocpiExchange({ method, url, token, body, routing, headers, timeoutMs, clock, observe }: OcpiCall): Promise<OcpiAnswer> {
  const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() };
  const started = performance.now();
  const seen = (outcome: Partial<OcpiObservation>) => observe?.({ method, url, body, to: routing?.to, ...ids, durationMs: performance.now() - started, ...outcome });
  const timeout = timeoutSignal(timeoutMs, clock);
  const response = await fetch(url, {
    method,
    headers: {
      authorization: tokenHeader(token),
      'x-request-id': ids.requestId,
      'x-correlation-id': ids.correlationId,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(routing ? routingHeaders(routing) : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: timeout.signal,
  }).catch((error: Error) => {
    timeout.done();
    seen({ error: error.message });
    throw error;
  });
  const text = await response.text().catch(() => '');
  timeout.done();
  let envelope: OcpiAnswer['envelope'];
  try {
    envelope = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the HTTP status is all there is.
  }
  const code = typeof envelope?.status_code === 'number' ? envelope.status_code : undefined;
  const message = typeof envelope?.status_message === 'string' ? envelope.status_message : '';
  seen({ status: response.status, envelope: envelope ?? (text ? text.slice(0, 2000) : undefined), code });
  return { response, envelope, code, message };
}
