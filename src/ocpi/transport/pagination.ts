import { t } from 'elysia';
import { parseOcpiDateTime } from '../../lib/clock.ts';
import { DateTime } from '../../model/ocpi/types.ts';
import type { AuthenticatedPartner } from '../../../actors/partner/partners.ts';
import type { Clock } from '../../lib/clock.ts';
import type { PageFilter } from '../../storage/sqlite/paging.ts';
import { envelope } from './envelope.ts';
import { OcpiErrors } from './ocpi-error.ts';

/** Query of every OCPI list (OCPI 2.2.1 transport_and_format, "Pagination"). */
export const PageQuery = t.Object({
  offset: t.Optional(t.Numeric({ description: 'Index of the first object returned (default 0)' })),
  limit: t.Optional(t.Numeric({ description: 'Page size wanted; capped at the module maximum (see X-Limit)' })),
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
  const offset = query.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw OcpiErrors.invalidParameters('offset must be a non-negative integer');
  const wanted = query.limit ?? limits.defaultLimit;
  if (!Number.isInteger(wanted) || wanted < 1) throw OcpiErrors.invalidParameters('limit must be a positive integer');
  return {
    offset,
    limit: Math.min(wanted, limits.maxLimit),
    ...(query.date_from ? { fromMs: parseOcpiDateTime(query.date_from) } : {}),
    ...(query.date_to ? { toMs: parseOcpiDateTime(query.date_to) } : {}),
  };
}

/**
 * X-Total-Count, X-Limit (the cap, not the page size) and `Link: <next>; rel="next"` unless this is the last
 * page. The link is built on PUBLIC_URL, never on the request's Host, and keeps every filter of the request.
 */
export function pageHeaders(opts: {
  publicUrl: string;
  requestUrl: string;
  page: PageFilter;
  limits: PageLimits;
  returned: number;
  total: number;
}): Record<string, string> {
  const { publicUrl, requestUrl, page, limits, returned, total } = opts;
  const headers: Record<string, string> = { 'x-total-count': String(total), 'x-limit': String(limits.maxLimit) };
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
 * envelope with the paging headers. Every module's list goes through here, so they all page alike.
 */
export function pagedList<T>(
  publicUrl: () => string,
  clock: Clock,
  limits: PageLimits,
  load: (partner: AuthenticatedPartner, page: PageFilter) => { items: T[]; total: number },
) {
  return ({ partner, query, request, set }: { partner: AuthenticatedPartner; query: PageQuery; request: Request; set: { headers: Record<string, unknown> } }) => {
    const page = pageRequest(query, limits);
    const { items, total } = load(partner, page);
    Object.assign(set.headers, pageHeaders({ publicUrl: publicUrl(), requestUrl: request.url, page, limits, returned: items.length, total }));
    return envelope(clock, items);
  };
}
