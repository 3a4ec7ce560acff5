/**
 * One outgoing OCPI call over plain `fetch`, for both sides we play (our partner client and the simulated eMSP):
 * Base64 token header (OCPI 2.2.1), fresh request and correlation ids, a timeout, and the envelope read even on
 * 4xx/5xx because partners put the reason there. Rejects only when no HTTP answer came (network error, timeout).
 */
import { tokenHeader } from '../../domain/credentials-token.ts';

export interface OcpiCall {
  method: string;
  url: string;
  token: string;
  body?: unknown;
  /** Routing headers and the like. */
  headers?: Record<string, string>;
  timeoutMs: number;
}

export interface OcpiAnswer {
  response: Response;
  /** The parsed body, when it was JSON. */
  envelope: { status_code?: unknown; status_message?: unknown; data?: unknown } | undefined;
  /** OCPI status_code, when the body was an envelope. */
  code: number | undefined;
  message: string;
}

export async function ocpiExchange({ method, url, token, body, headers, timeoutMs }: OcpiCall): Promise<OcpiAnswer> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: tokenHeader(token),
      'x-request-id': crypto.randomUUID(),
      'x-correlation-id': crypto.randomUUID(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text().catch(() => '');
  let envelope: OcpiAnswer['envelope'];
  try {
    envelope = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the HTTP status is all there is.
  }
  const code = typeof envelope?.status_code === 'number' ? envelope.status_code : undefined;
  const message = typeof envelope?.status_message === 'string' ? envelope.status_message : '';
  return { response, envelope, code, message };
}
