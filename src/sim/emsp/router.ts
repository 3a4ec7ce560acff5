/**
 * A small path router for the simulated eMSP: `:name` segments capture one decoded path segment, and a trailing
 * slash is tolerated (both forms are seen in the wild, OCPI 2.2.1 "Functional modules").
 */
import type { Caller } from './access.ts';

/** `configuration` routes (versions, credentials) open to a token A as well; `functional` ones need the CPO's token. */
export type RouteAccess = 'configuration' | 'functional';

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  caller: Caller;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  access: RouteAccess;
  handle(request: RouteRequest): Response | Promise<Response>;
}

export function matchRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = pathname.replace(/\/+$/, '').split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPath(route.path.split('/'), segments);
    if (params) return { route, params };
  }
  return undefined;
}

function matchPath(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = segments[i]!;
    if (expected.startsWith(':')) {
      if (!actual) return undefined;
      let decoded: string;
      try {
        decoded = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
      params[expected.slice(1)] = decoded;
    } else if (expected !== actual) return undefined;
  }
  return params;
}
