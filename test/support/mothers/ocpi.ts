/** Small readers for OCPI responses: the envelope of a failure and the paging headers of a list. */
import { expect } from 'bun:test';
import { OUR_DATETIME } from './examples.ts';

/** An OCPI failure: the HTTP status, the OCPI status code and the full envelope (message, timestamp, no data). */
export function expectOcpiError(response: { status: number; body: any }, http: number, code: number) {
  expect({ http: response.status, status_code: response.body?.status_code }).toEqual({ http, status_code: code });
  expect(typeof response.body.status_message).toBe('string');
  expect(response.body.status_message.length).toBeGreaterThan(0);
  expect(response.body.timestamp).toMatch(OUR_DATETIME);
  expect(response.body.data ?? null).toBeNull();
}

/** A successful OCPI envelope; returns its data. */
export function ocpiData(response: { status: number; body: any }): any {
  expect({ http: response.status, status_code: response.body?.status_code }).toEqual({ http: 200, status_code: 1000 });
  expect(response.body.timestamp).toMatch(OUR_DATETIME);
  return response.body.data;
}

/** The URL of `Link: <url>; rel="next"`, or undefined when there is no next page. */
export function nextLink(headers: Headers): string | undefined {
  const link = headers.get('link');
  if (link === null) return undefined;
  const match = /^<([^>]+)>;\s*rel="next"$/.exec(link.trim());
  expect(match).not.toBeNull();
  return match![1];
}

/** Path and query of an absolute URL, to call it on the test server whatever public origin it names. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
