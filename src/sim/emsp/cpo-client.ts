/**
 * Calls from the simulated eMSP to the CPO over plain `fetch`: Base64 token header (OCPI 2.2.1), fresh request
 * and correlation ids, a timeout, and the envelope read even on 4xx/5xx because partners put the reason there.
 */
import { tokenHeader } from '../../domain/credentials-token.ts';

export interface CpoRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  token: string;
  body?: unknown;
  /** Routing headers and the like. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface CpoReply {
  httpStatus: number;
  /** OCPI status_code, when the body was an envelope. */
  statusCode: number | undefined;
  message: string;
  data: unknown;
  headers: Headers;
}

export class CpoCallError extends Error {
  constructor(
    message: string,
    readonly reply?: CpoReply,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** One exchange. Rejects only when no HTTP answer came (network error, timeout); any answer is returned. */
export async function callCpo(request: CpoRequest): Promise<CpoReply> {
  const { method, url, token, body } = request;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: tokenHeader(token),
        'x-request-id': crypto.randomUUID(),
        'x-correlation-id': crypto.randomUUID(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CpoCallError(`${method} ${url}: ${(error as Error).message}`);
  }
  const text = await response.text().catch(() => '');
  let envelope: { status_code?: unknown; status_message?: unknown; data?: unknown } | undefined;
  try {
    envelope = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the HTTP status is all there is.
  }
  return {
    httpStatus: response.status,
    statusCode: typeof envelope?.status_code === 'number' ? envelope.status_code : undefined,
    message: typeof envelope?.status_message === 'string' ? envelope.status_message : '',
    data: envelope?.data,
    headers: response.headers,
  };
}

/** A 2xx whose envelope says 1xxx; `data` is never required (spec: responders may leave it out). */
export function succeeded(reply: CpoReply): boolean {
  return reply.httpStatus >= 200 && reply.httpStatus < 300 && reply.statusCode !== undefined && reply.statusCode >= 1000 && reply.statusCode < 2000;
}

export function describeReply(request: Pick<CpoRequest, 'method' | 'url'>, reply: CpoReply): string {
  return `${request.method} ${request.url}: HTTP ${reply.httpStatus}, OCPI ${reply.statusCode ?? 'no envelope'} ${reply.message}`.trim();
}

/** `data` of a successful exchange, or a CpoCallError saying what the CPO answered instead. */
export async function requireData(request: CpoRequest): Promise<unknown> {
  const reply = await callCpo(request);
  if (!succeeded(reply)) throw new CpoCallError(describeReply(request, reply), reply);
  return reply.data;
}
