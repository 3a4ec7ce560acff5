import { Elysia } from 'elysia';
import { ApiError } from './api-error.ts';
import type { ApiDeps } from './api-deps.ts';

/**
 * Operator authentication: `Authorization: Bearer <key>` or `X-API-Key: <key>`, either the bootstrap
 * ADMIN_API_KEY or a key created through /api/v1/api-keys. Keys are compared as keyed hashes.
 */
export function apiKeyAuth({ config, secrets, storage }: Pick<ApiDeps, 'config' | 'secrets' | 'storage'>) {
  const adminHash = secrets.hash(config.adminApiKey);
  return new Elysia({ name: 'api.key-auth' }).derive({ as: 'scoped' }, ({ headers }) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
    const key = bearer ?? headers['x-api-key'];
    if (!key) throw new ApiError(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    if (secrets.matches(key, adminHash)) return { operator: { keyId: 'admin' } };
    const found = storage.apiKeys.findActiveByHash(secrets.hash(key));
    if (!found) throw new ApiError(401, 'unauthorized', 'Unknown or revoked API key');
    return { operator: { keyId: found.id } };
  });
}

export const apiSecurity: Record<string, string[]>[] = [{ bearer: [] }, { apiKey: [] }];
