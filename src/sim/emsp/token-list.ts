/**
 * Our Tokens Sender list (OCPI 2.2.1 tokens, eMSP Sender GET), paginated as every OCPI list: `date_from`
 * (inclusive) / `date_to` (exclusive) on last_updated, `offset`/`limit`, and the X-Total-Count, X-Limit and
 * `Link: <…>; rel="next"` headers. The small page cap makes the CPO follow Link even for a small token list.
 */
import { parseOcpiDateTime } from '../../lib/clock.ts';
import type { Token } from '../../model/ocpi/token.ts';
import { problems } from './envelope.ts';

export const TOKENS_PAGE_CAP = 10;

export function tokenPage(tokens: readonly Token[], query: URLSearchParams, listUrl: string): { page: Token[]; headers: Record<string, string> } {
  const offset = integer(query, 'offset', 0);
  const limit = Math.min(integer(query, 'limit', TOKENS_PAGE_CAP), TOKENS_PAGE_CAP);
  const from = dateTime(query, 'date_from');
  const to = dateTime(query, 'date_to');
  const matching = tokens.filter((t) => {
    const stamp = parseOcpiDateTime(t.last_updated);
    return (from === undefined || stamp >= from) && (to === undefined || stamp < to);
  });
  const page = matching.slice(offset, offset + limit);
  const headers: Record<string, string> = { 'x-total-count': String(matching.length), 'x-limit': String(TOKENS_PAGE_CAP) };
  if (limit > 0 && offset + limit < matching.length) {
    // The next page keeps every filter of this request (OCPI 2.2.1 pagination).
    const next = new URLSearchParams(query);
    next.set('offset', String(offset + limit));
    next.set('limit', String(limit));
    headers.link = `<${listUrl}?${next}>; rel="next"`;
  }
  return { page, headers };
}

function integer(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw problems.invalid(`${name} must be a non-negative integer`);
  return value;
}

function dateTime(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const value = parseOcpiDateTime(raw);
  if (!Number.isFinite(value)) throw problems.invalid(`${name} must be a DateTime`);
  return value;
}
