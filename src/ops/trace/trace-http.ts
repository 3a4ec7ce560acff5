/**
 * Inbound OCPI in the protocol trace, from the app's request hooks: the start time when a request arrives, the
 * whole exchange (partner, X-Request-ID/X-Correlation-ID, HTTP and OCPI status, both bodies) once the answer has
 * gone out. Error answers are rendered into a `Response` by the error renderer, so their body is read from a
 * clone taken there.
 */
import type { Clock } from '../../lib/clock.ts';
import { ocpiModuleOf } from '../metrics.ts';
import type { OcpiRecord } from './trace-writer.ts';
import { tracedAnswerOf } from '../../http/traced-answer.ts';

interface Started {
  atMs: number;
  perfMs: number;
  errorBody?: Promise<string>;
}

interface AfterResponse {
  request: Request;
  set: { status?: number | string; headers: Record<string, unknown> };
  body?: unknown;
  responseValue?: unknown;
  partner?: { partnerId?: string };
}

export function inboundOcpiTrace(push: (record: OcpiRecord) => void, clock: Clock) {
  const started = new WeakMap<Request, Started>();
  const isOcpi = (request: Request) => new URL(request.url).pathname.startsWith('/ocpi/');

  return {
    started(request: Request) {
      if (isOcpi(request)) started.set(request, { atMs: clock.now().getTime(), perfMs: performance.now() });
    },
    /** Wraps the error renderer: keeps a copy of an OCPI error answer's body for the trace. */
    capturing<C extends { request: Request }>(render: (context: C) => Response) {
      return (context: C) => {
        const response = render(context);
        const entry = started.get(context.request);
        if (entry) entry.errorBody = response.clone().text();
        return response;
      };
    },
    async finished(context: AfterResponse) {
      const entry = started.get(context.request);
      if (!entry) return;
      started.delete(context.request);
      const url = new URL(context.request.url);
      let response = context.responseValue instanceof Response ? tracedAnswerOf(context) : context.responseValue;
      if (entry.errorBody) response = parse(await entry.errorBody.catch(() => ''));
      const headers = context.set.headers;
      push({
        kind: 'ocpi',
        atMs: entry.atMs,
        direction: 'in',
        partnerId: context.partner?.partnerId,
        method: context.request.method,
        url: url.pathname + url.search,
        module: ocpiModuleOf(url.pathname),
        requestId: str(headers['x-request-id']),
        correlationId: str(headers['x-correlation-id']),
        httpStatus: typeof context.set.status === 'number' ? context.set.status : 200,
        ocpiStatus: num((response as { status_code?: unknown } | undefined)?.status_code),
        durationMs: performance.now() - entry.perfMs,
        request: context.request.method === 'GET' || context.request.method === 'DELETE' ? undefined : context.body,
        response,
      });
    },
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text || undefined;
  }
}
