/**
 * The baseline of bench/ocpi.ts: a bare Elysia app with one GET route per OCPI list that answers the page the
 * query asks for with the bytes and headers the real server sends (envelope, X-Total-Count, X-Limit, Link,
 * X-Request-ID/X-Correlation-ID, OCPI routing headers), cut from items held in memory in their served JSON. No
 * authentication, no storage, no validation: the least any server must do to send that page.
 */
import { Elysia } from 'elysia';

/** What the bench crawled from the real server, per list (listKey). */
export interface BarePages {
  publicUrl: string;
  /** Headers the real server sends on every page that do not depend on the request (routing headers). */
  fixedHeaders: Record<string, string>;
  lists: Record<string, { items: string[]; defaultLimit: number; maxLimit: number }>;
}

/** A list by its path and date_from window (`date_from=<stamp>`, or '' for the whole list). */
export function listKey(path: string, window: string) {
  return `${path}?${window}`;
}

export async function startBareOcpi(pagesFile: string) {
  const pages = (await Bun.file(pagesFile).json()) as BarePages;
  const app = new Elysia();
  const paths = new Set(Object.keys(pages.lists).map((key) => key.slice(0, key.indexOf('?'))));
  for (const path of paths)
    app.get(path, ({ query, request, set }) => {
      const list = pages.lists[listKey(path, query.date_from ? `date_from=${query.date_from}` : '')]!;
      const offset = Number(query.offset ?? 0);
      const limit = Math.min(Number(query.limit ?? list.defaultLimit), list.maxLimit);
      const items = list.items.slice(offset, offset + limit);
      const next = offset + items.length;
      Object.assign(set.headers, {
        'content-type': 'application/json;charset=utf-8',
        'x-request-id': request.headers.get('x-request-id') ?? crypto.randomUUID(),
        'x-correlation-id': request.headers.get('x-correlation-id') ?? crypto.randomUUID(),
        ...pages.fixedHeaders,
        'x-total-count': String(list.items.length),
        'x-limit': String(limit),
        ...(items.length > 0 && next < list.items.length ? { link: `<${nextUrl(request.url, next, limit)}>; rel="next"` } : {}),
      });
      const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      return `{"data":[${items.join(',')}],"status_code":1000,"status_message":"Success","timestamp":"${timestamp}"}`;
    });
  /** The request's own query with the next offset, on the public URL (parameters in the order the client sent them). */
  function nextUrl(requestUrl: string, offset: number, limit: number) {
    const url = new URL(requestUrl);
    const next = new URL(pages.publicUrl + url.pathname);
    url.searchParams.forEach((value, key) => next.searchParams.set(key, value));
    next.searchParams.set('offset', String(offset));
    next.searchParams.set('limit', String(limit));
    return next.toString();
  }
  return Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: app.fetch });
}
