import { Value } from '@sinclair/typebox/value';
import { t, type TSchema } from 'elysia';
import { CloneType, type Static } from '@sinclair/typebox';
import type { PartnerGateway } from '../../../actors/partner/partner.ports.ts';
import { tokenHeader } from '../../domain/credentials-token.ts';
import { Credentials } from '../../model/ocpi/credentials.ts';
import { Version, VersionDetails } from '../../model/ocpi/versions.ts';

export class PartnerCallError extends Error {}

/**
 * Copies taken at load time: Elysia marks the route-body schemas it is given `additionalProperties: false`,
 * and a partner adding a field of its own must not make its answer unreadable to us.
 */
const schemas = {
  versions: CloneType(t.Array(Version)),
  details: CloneType(VersionDetails),
  credentials: CloneType(Credentials),
};

/**
 * OCPI calls to a partner over HTTP: Base64 token header (2.2.1), fresh request and correlation ids, a
 * timeout, and the envelope read even on 4xx/5xx (partners put the reason there).
 */
export function createPartnerClient(timeoutMs: number): PartnerGateway {
  async function call<S extends TSchema>(method: string, url: string, token: string, schema: S | undefined, body?: unknown) {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: tokenHeader(token),
          'x-request-id': crypto.randomUUID(),
          'x-correlation-id': crypto.randomUUID(),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new PartnerCallError(`${method} ${url}: ${(error as Error).message}`);
    }
    const text = await response.text();
    let parsed: { status_code?: unknown; status_message?: unknown; data?: unknown } | undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new PartnerCallError(`${method} ${url}: HTTP ${response.status} without a JSON body`);
    }
    const code = typeof parsed?.status_code === 'number' ? parsed.status_code : undefined;
    if (!response.ok || code === undefined || code < 1000 || code >= 2000) {
      const message = typeof parsed?.status_message === 'string' ? parsed.status_message : '';
      throw new PartnerCallError(`${method} ${url}: HTTP ${response.status}, OCPI status ${code ?? 'missing'} ${message}`.trim());
    }
    if (!schema) return undefined as Static<S>;
    if (!Value.Check(schema, parsed?.data)) {
      const first = Value.Errors(schema, parsed?.data).First();
      throw new PartnerCallError(`${method} ${url}: unexpected data (${first ? `${first.path || '/'}: ${first.message}` : 'invalid'})`);
    }
    return parsed!.data as Static<S>;
  }

  return {
    getVersions: (url, token) => call('GET', url, token, schemas.versions),
    getVersionDetails: (url, token) => call('GET', url, token, schemas.details),
    postCredentials: (url, token, ours) => call('POST', url, token, schemas.credentials, ours),
    deleteCredentials: async (url, token) => {
      await call('DELETE', url, token, undefined);
    },
  };
}
