import { RegistrationError } from '../../actors/partner/registration-error.ts';
import { ActorWriteConflict } from '../../actors/system/write-conflict.ts';
import { StationNodeUnreachable } from '../cluster/station-router.ts';
import { ApiError } from '../api/api-error.ts';
import { envelope } from '../ocpi/transport/envelope.ts';
import { OcpiError } from '../ocpi/transport/ocpi-error.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { NetworkError } from '../charging-network/network-error.ts';
import { BodyRefused } from './body-guard.ts';

interface Failure {
  http: number;
  ocpi: number;
  code: string;
  message: string;
  extra?: Record<string, unknown>;
}

/**
 * The one place errors become responses: an OCPI envelope under /ocpi (status codes per OCPI 2.2.1
 * transport_and_format), a JSON `{ error, message }` body elsewhere. Unexpected errors are logged and answered
 * without internals.
 */
export function renderError(clock: Clock, logger: Logger) {
  return ({ code, error, request, set }: { code: unknown; error: unknown; request: Request; set: { status?: number | string; headers: Record<string, unknown> } }) => {
    const isOcpi = new URL(request.url).pathname.startsWith('/ocpi');
    const failure = classify(code, error, isOcpi);
    const where = { method: request.method, path: new URL(request.url).pathname, requestId: set.headers['x-request-id'] };
    // A registration the partner's platform made fail (either direction) is the operator's business, not a bug of ours.
    if (error instanceof RegistrationError) logger.warn('Partner registration failed', { ...where, reason: error.reason, message: error.message });
    else if (failure.http >= 500) logger.error('Unhandled error', { ...where, error: error as Error });
    set.status = failure.http;
    set.headers['content-type'] = 'application/json';
    const body = isOcpi ? envelope(clock, undefined, failure.ocpi, failure.message) : { error: failure.code, message: failure.message, ...failure.extra };
    return new Response(JSON.stringify(body), { status: failure.http, headers: set.headers as Record<string, string> });
  };
}

function classify(code: unknown, error: unknown, isOcpi: boolean): Failure {
  if (error instanceof OcpiError) return { http: error.httpStatus, ocpi: error.ocpiStatus, code: 'ocpi_error', message: error.message };
  if (error instanceof ApiError) return { http: error.status, ocpi: 2000, code: error.code, message: error.message, extra: error.extra };
  if (error instanceof NetworkError) {
    if (error.kind === 'invalid') return { http: 400, ocpi: 2001, code: 'invalid_request', message: error.message };
    if (error.kind === 'forbidden') return { http: 403, ocpi: 2000, code: 'forbidden', message: error.message };
    if (error.kind === 'conflict') return { http: 409, ocpi: 2000, code: 'conflict', message: error.message };
    return { http: 404, ocpi: error.subject === 'token' ? 2004 : 2003, code: 'not_found', message: error.message };
  }
  if (error instanceof RegistrationError) {
    // OCPI: a valid, authenticated request is no HTTP error, so 3xxx come with HTTP 200; REST: the partner failed us (502).
    const map = {
      'already-registered': [405, 405, 2000, 'conflict'],
      'not-registered': [405, 409, 2000, 'conflict'],
      'invalid-credentials': [400, 502, 2001, 'partner_credentials_invalid'],
      'client-api-unusable': [200, 502, 3001, 'partner_unreachable'],
      'unsupported-version': [200, 502, 3002, 'unsupported_version'],
      'no-matching-endpoints': [200, 502, 3003, 'no_matching_endpoints'],
    } as const;
    const [ocpiHttp, restHttp, ocpi, restCode] = map[error.reason];
    return { http: isOcpi ? ocpiHttp : restHttp, ocpi, code: restCode, message: error.message };
  }
  // Several nodes: nothing was changed; the same request again is expected to succeed.
  if (error instanceof ActorWriteConflict) return { http: 409, ocpi: 3000, code: 'concurrent_change', message: error.message };
  if (error instanceof StationNodeUnreachable) return { http: 503, ocpi: 3000, code: 'station_node_unreachable', message: error.message };
  if (error instanceof BodyRefused)
    return { http: isOcpi ? 400 : error.status, ocpi: 2001, code: error.status === 413 ? 'body_too_large' : 'invalid_request', message: error.message };
  if (code === 'VALIDATION') return { http: 400, ocpi: 2001, code: 'invalid_request', message: validationMessage(error) };
  if (code === 'PARSE') return { http: 400, ocpi: 2001, code: 'invalid_json', message: 'Request body is not valid JSON' };
  if (code === 'NOT_FOUND') return { http: 404, ocpi: 2000, code: 'not_found', message: 'No such endpoint' };
  return { http: 500, ocpi: 3000, code: 'internal_error', message: 'Internal error' };
}

interface FieldError {
  path?: string;
  message?: string;
  errors?: Iterable<FieldError>[];
}

/** "body /evses/0/uid: Expected string" — the first failing field, named (Elysia hides detail in production). */
function validationMessage(error: unknown): string {
  const e = error as { type?: string; all?: FieldError[]; valueError?: FieldError };
  const first = e.all?.[0] ?? e.valueError;
  const where = e.type ?? 'request';
  if (!first) return `Invalid ${where}`;
  const named = deepestBranch(first);
  const path = named.path && named.path !== '' ? named.path : '(root)';
  return `Invalid ${where}: ${path}: ${named.message ?? 'invalid value'}`;
}

/**
 * A union (an optional body, a nullable object) fails as a whole at its own path ("Expected union value"); the
 * alternative that got furthest names the field that is actually wrong (`/location_id` rather than the root).
 */
function deepestBranch(error: FieldError): FieldError {
  let best = error;
  for (const branch of error.errors ?? []) {
    for (const inner of branch) {
      const candidate = deepestBranch(inner);
      if ((candidate.path ?? '').length > (best.path ?? '').length) best = candidate;
      break;
    }
  }
  return best;
}
