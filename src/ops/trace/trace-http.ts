/**
 * Inbound OCPI in the protocol trace, from the app's request hooks: the start time when a request arrives, the
 * whole exchange (partner, X-Request-ID/X-Correlation-ID, HTTP and OCPI status, both bodies) once the answer has
 * gone out. Error answers are rendered into a `Response` by the error renderer, so their body is read from a
 * clone taken there; a list page goes out as a finished `Response` too and leaves its summary (src/http/traced-answer.ts).
 */
import type { Clock } from '../../lib/clock.ts';
import { ocpiModuleOf } from '../metrics.ts';
import type { OcpiRecord } from './trace-writer.ts';
import { tracedAnswerOf } from '../../http/traced-answer.ts';
import type { RequestIds } from '../../ocpi/transport/request-ids.ts';

interface Started {
  atMs: number;
  perfMs: number;
  ids: RequestIds;
  errorBody?: Promise<string>;
}

/** What the trace reads of a request's context once its answer has gone out. */
export interface AfterResponse {
  request: Request;
  set: { status?: number | string };
  body?: unknown;
  responseValue?: unknown;
  partner?: { partnerId?: string };
}

export function inboundOcpiTrace(push: (record: OcpiRecord) => void, clock: Clock) {
  const started = new WeakMap<Request, Started>();
  const isOcpi = (request: Request) => new URL(request.url).pathname.startsWith('/ocpi/');

  return {
    /** The request arrived with (or was given) these ids, which its answer echoes. */
    started(request: Request, ids: RequestIds) {
      if (isOcpi(request)) started.set(request, { atMs: clock.now().getTime(), perfMs: performance.now(), ids });
    },
    /**
     * Wraps the error renderer: keeps a copy of an OCPI error answer's body for the trace. (Hooks destructure their
     * context: Elysia reads the parameter to learn what routes use, and a whole context costs every request.)
     */
    capturing<C extends { request: Request }>(render: (context: C) => Response) {
      return ({ code, error, request, set }: C & { code: unknown; error: unknown; set: unknown }) => {
        const response = render({ code, error, request, set } as unknown as C);
        const entry = started.get(request);
        if (entry) entry.errorBody = response.clone().text();
        return response;
      };
    },
    async finished(context: AfterResponse) {
      const entry = started.get(context.request);
      if (!entry) return;
      started.delete(context.request);
      const url = new URL(context.request.url);
      let response = context.responseValue instanceof Response ? tracedAnswerOf(context.request) : context.responseValue;
      if (entry.errorBody) response = parse(await entry.errorBody.catch(() => ''));
      push({
        kind: 'ocpi',
        atMs: entry.atMs,
        direction: 'in',
        partnerId: context.partner?.partnerId,
        method: context.request.method,
        url: url.pathname + url.search,
        module: ocpiModuleOf(url.pathname),
        requestId: entry.ids['x-request-id'],
        correlationId: entry.ids['x-correlation-id'],
        httpStatus: typeof context.set.status === 'number' ? context.set.status : 200,
        ocpiStatus: num((response as { status_code?: unknown } | undefined)?.status_code),
        durationMs: performance.now() - entry.perfMs,
        request: context.request.method === 'GET' || context.request.method === 'DELETE' ? undefined : context.body,
        response,
      });
    },
  };
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text || undefined;
  }
}
