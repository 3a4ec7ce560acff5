import { t } from 'elysia';
import { parseOcpiDateTime } from '../../lib/clock.ts';
import { DateTime } from '../../model/ocpi/types.ts';
import type { AuthenticatedPartner } from '../../../actors/partner/partners.ts';
import type { Clock } from '../../lib/clock.ts';
import type { PageFilter, RenderedPage } from '../../storage/ports.ts';
import { renderedListEnvelope } from './envelope.ts';
import { traceAnswerAs } from '../../http/traced-answer.ts';
import { OcpiErrors } from './ocpi-error.ts';

/**
 * A non-negative integer in a query string, kept as its digits: numeric coercion would turn `1e+308` into a number
 * that passes `Number.isInteger` and then breaks the SQL query. At most 15 digits, so it is always a safe integer.
 */
const Digits = (description: string) => t.String({ pattern: '^[0-9]{1,15}$', description });

/** Query of every OCPI list (OCPI 2.2.1 transport_and_format, "Pagination"). */
export const PageQuery = t.Object({
  offset: t.Optional(Digits('Index of the first object returned (default 0)')),
  limit: t.Optional(Digits('Page size wanted (default 25); capped at the module maximum, which X-Limit then shows')),
  date_from: t.Optional(DateTime),
  date_to: t.Optional(DateTime),
});
export type PageQuery = typeof PageQuery.static;

export interface PageLimits {
  defaultLimit: number;
  maxLimit: number;
}

/** A larger limit than the module's maximum is capped, not refused (the spec's own example asks 2000, gets 100). */
export function pageRequest(query: PageQuery, limits: PageLimits): PageFilter {
  const offset = Number(query.offset ?? 0);
  const wanted = query.limit === undefined ? limits.defaultLimit : Number(query.limit);
  if (wanted < 1) throw OcpiErrors.invalidParameters('Invalid query: /limit: must be a positive integer');
  return {
    offset,
    limit: Math.min(wanted, limits.maxLimit),
    ...(query.date_from ? { fromMs: parseOcpiDateTime(query.date_from) } : {}),
    ...(query.date_to ? { toMs: parseOcpiDateTime(query.date_to) } : {}),
  };
}

/**
 * X-Total-Count, X-Limit (the page size this request got: the default, the wish, or the cap) and `Link: <next>; rel="next"` unless this is the last
 * page. The link is built on PUBLIC_URL, never on the request's Host, and keeps every filter of the request.
 */
export function pageHeaders(opts: {
  publicUrl: string;
  requestUrl: string;
  page: PageFilter;
  returned: number;
  total: number;
}): Record<string, string> {
  const { publicUrl, requestUrl, page, returned, total } = opts;
  const headers: Record<string, string> = { 'x-total-count': String(total), 'x-limit': String(page.limit) };
  const nextOffset = page.offset + returned;
  if (returned > 0 && nextOffset < total) {
    const url = new URL(requestUrl);
    const next = new URL(publicUrl + url.pathname);
    url.searchParams.forEach((value, key) => next.searchParams.set(key, value));
    next.searchParams.set('offset', String(nextOffset));
    next.searchParams.set('limit', String(page.limit));
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  return headers;
}

/**
 * The handler of an OCPI Sender list: reads the page the query asks for from `load` and answers it in the
 * envelope with the paging headers. Every module's list goes through here, so they all page alike. The objects
 * come rendered from storage and go out as they are: the answer is a finished Response, which Elysia neither
 * validates nor serialises again (the route's response schema still documents it). The protocol trace keeps the
 * envelope with the number of objects sent, not the objects: a partner's full sync would otherwise copy the whole
 * network into the trace.
 */
export function pagedList(
  publicUrl: () => string,
  clock: Clock,
  limits: PageLimits,
  load: (partner: AuthenticatedPartner, page: PageFilter) => RenderedPage,
) {
  // Destructured, not taken whole: Elysia reads the parameter to learn what a route uses (a whole context costs
  // every request a cookie jar and a copy of the headers, and sends a returned Response through a stream).
  return ({ partner, query, request, set }: { partner: AuthenticatedPartner; query: PageQuery; request: Request; set: { headers: Record<string, unknown> } }) => {
    const page = pageRequest(query, limits);
    const { json, count, total } = load(partner, page);
    Object.assign(set.headers, pageHeaders({ publicUrl: publicUrl(), requestUrl: request.url, page, returned: count, total }));
    const { body, timestamp } = renderedListEnvelope(clock, json);
    traceAnswerAs(request, { status_code: 1000, status_message: 'Success', timestamp, objects: count });
    return finished(body, set);
  };
}

/**
 * The answer as a Response that carries every header set for it so far (request ids, routing and paging headers),
 * leaving `set.headers` empty: Elysia sends a Response as it is only then; otherwise it copies the body through a
 * stream into a new one, which costs more than building the page.
 */
function finished(body: string, set: { headers: Record<string, unknown> }) {
  const headers: Record<string, string> = { 'content-type': 'application/json;charset=utf-8' };
  for (const name in set.headers) {
    headers[name] = String(set.headers[name]);
    delete set.headers[name];
  }
  return new Response(body, { headers });
}
