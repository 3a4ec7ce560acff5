import { Value } from '@sinclair/typebox/value';
import { t, type TSchema } from 'elysia';
import { CloneType, type Static } from '@sinclair/typebox';
import type { Party, PartnerGateway, PushOutcome, PushRequest } from '../../../actors/partner/partner.ports.ts';
import type { Clock } from '../../lib/clock.ts';
import { Credentials } from '../../model/ocpi/credentials.ts';
import { AuthorizationInfo } from '../../model/ocpi/token.ts';
import { Version, VersionDetails } from '../../model/ocpi/versions.ts';
import { ocpiExchange, type OcpiAnswer, type OcpiCall } from './ocpi-exchange.ts';

export class PartnerCallError extends Error {
  constructor(
    message: string,
    readonly ocpiStatus?: number,
  ) {
    super(message);
  }
}

/**
 * Copies taken at load time: Elysia marks the route-body schemas it is given `additionalProperties: false`,
 * and a partner adding a field of its own must not make its answer unreadable to us.
 */
const schemas = {
  versions: CloneType(t.Array(Version)),
  details: CloneType(VersionDetails),
  credentials: CloneType(Credentials),
  authorizationInfo: CloneType(AuthorizationInfo),
  list: t.Array(t.Unknown()),
};

interface CallOptions {
  timeoutMs?: number;
  onResponse?: (r: Response) => void;
  /** Present exactly for functional-module calls: they get the routing headers, configuration calls none. */
  functional?: { to: Party | undefined };
}

/**
 * OCPI calls to a partner over HTTP ({@link ocpiExchange}), read as the partner ports expect them. `us` is the
 * CPO party every functional-module call comes from; the routing headers are added here, in the one place all
 * those calls pass, so no call site can forget them. Their timeouts run on `clock` (real time without one).
 */
export function createPartnerClient(timeoutMs: number, us: Party, observe?: OcpiCall['observe'], clock?: Clock): PartnerGateway {
  const routed = (to: Party | undefined) => ({ routing: { from: us, to } });

  async function call<S extends TSchema>(method: string, url: string, token: string, schema: S | undefined, body?: unknown, opts: CallOptions = {}) {
    let result: OcpiAnswer;
    try {
      const routing = opts.functional ? routed(opts.functional.to) : {};
      result = await ocpiExchange({ method, url, token, body, ...routing, timeoutMs: opts.timeoutMs ?? timeoutMs, clock, observe });
    } catch (error) {
      throw new PartnerCallError(`${method} ${url}: ${(error as Error).message}`);
    }
    const { response, envelope, code, message } = result;
    opts.onResponse?.(response);
    if (!envelope) throw new PartnerCallError(`${method} ${url}: HTTP ${response.status} without a JSON body`);
    if (!response.ok || code === undefined || code < 1000 || code >= 2000)
      throw new PartnerCallError(`${method} ${url}: HTTP ${response.status}, OCPI status ${code ?? 'missing'} ${message}`.trim(), code);
    if (!schema) return undefined as Static<S>;
    if (!Value.Check(schema, envelope.data)) {
      const first = Value.Errors(schema, envelope.data).First();
      throw new PartnerCallError(`${method} ${url}: unexpected data (${first ? `${first.path || '/'}: ${first.message}` : 'invalid'})`);
    }
    return envelope.data as Static<S>;
  }

  /** OCPI pushes: success is a 2xx whose envelope (if any) says 1xxx; data is never required (spec 1.3). */
  async function push({ method, url, token, body, to }: PushRequest): Promise<PushOutcome> {
    let result: OcpiAnswer;
    try {
      result = await ocpiExchange({ method, url, token, body, ...routed(to), timeoutMs, clock, observe });
    } catch (error) {
      return { ok: false, retryable: true, error: `${method} ${url}: ${(error as Error).message}` };
    }
    const { response, code, message } = result;
    if (response.ok && (code === undefined || (code >= 1000 && code < 2000)))
      return { ok: true, ...(response.headers.get('location') ? { location: response.headers.get('location')! } : {}) };
    const retryable = response.status >= 500 || [401, 408, 429].includes(response.status) || (code !== undefined && code >= 3000);
    return { ok: false, retryable, error: `${method} ${url}: HTTP ${response.status}${code ? `, OCPI ${code}` : ''} ${message}`.trim() };
  }

  return {
    push,
    async getPage(url, token, to, module = 'functional') {
      let link: string | null = null;
      const onResponse = (r: Response) => (link = r.headers.get('link'));
      const items = await call('GET', url, token, schemas.list, undefined, module === 'functional' ? { functional: { to }, onResponse } : { onResponse });
      const next = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link ?? '')?.[1];
      return { items, ...(next ? { next } : {}) };
    },
    async authorize(url, token, to, where, authorizeTimeoutMs) {
      try {
        return await call('POST', url, token, schemas.authorizationInfo, where, { functional: { to }, timeoutMs: authorizeTimeoutMs });
      } catch (error) {
        if (error instanceof PartnerCallError && error.ocpiStatus === 2004) return 'unknown';
        throw error;
      }
    },
    getVersions: (url, token) => call('GET', url, token, schemas.versions),
    getVersionDetails: (url, token) => call('GET', url, token, schemas.details),
    postCredentials: (url, token, ours) => call('POST', url, token, schemas.credentials, ours),
    deleteCredentials: async (url, token) => {
      await call('DELETE', url, token, undefined);
    },
  };
}
