import { Elysia } from 'elysia';
import type { ApiDeps } from '../api/api-deps.ts';
import { ApiError } from '../api/api-error.ts';
import type { OpsRepo } from '../storage/sqlite/ops.repo.ts';
import type { Metrics } from './metrics.ts';

interface Check {
  ok: boolean;
  detail: string;
}

/** Storage answers and carries every migration this build ships. Errors say what, never where secrets live. */
function storageCheck(ops: Pick<OpsRepo, 'ping' | 'migrations'>): Check {
  try {
    ops.ping();
    const { applied, shipped } = ops.migrations();
    return applied >= shipped ? { ok: true, detail: `${applied} migrations applied` } : { ok: false, detail: `${applied} of ${shipped} migrations applied` };
  } catch (error) {
    return { ok: false, detail: `storage does not answer: ${(error as Error).message}` };
  }
}

/**
 * Health for load balancers and orchestrators (no authentication, nothing secret), and Prometheus metrics for
 * operators: the operator API key, or METRICS_TOKEN so a scraper needs no operator key.
 */
export function opsRoutes(deps: Pick<ApiDeps, 'config' | 'secrets' | 'storage'> & { metrics: Metrics }) {
  const { config, secrets, storage, metrics } = deps;
  const adminHash = secrets.hash(config.adminApiKey);
  const metricsHash = config.metricsToken ? secrets.hash(config.metricsToken) : undefined;
  const allowed = (key: string) =>
    secrets.matches(key, adminHash) || (metricsHash !== undefined && secrets.matches(key, metricsHash)) || storage.apiKeys.findActiveByHash(secrets.hash(key)) !== undefined;
  return new Elysia({ name: 'ops', detail: { tags: ['Operations'] } })
    .get('/health/live', () => ({ status: 'ok' }), { detail: { summary: 'The process runs', tags: ['Operations'] } })
    .get(
      '/health/ready',
      ({ set }) => {
        const checks = { storage: storageCheck(storage.ops) };
        const ready = Object.values(checks).every((c) => c.ok);
        set.status = ready ? 200 : 503;
        return { status: ready ? 'ready' : 'unavailable', checks };
      },
      { detail: { summary: 'Storage answers and migrations are applied (503 otherwise, with each check)', tags: ['Operations'] } },
    )
    .get(
      '/metrics',
      async ({ headers, set }) => {
        const key = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1] ?? headers['x-api-key'];
        if (!key || !allowed(key)) throw new ApiError(401, 'unauthorized', 'Send the operator API key or METRICS_TOKEN as "Authorization: Bearer <key>"');
        set.headers['content-type'] = metrics.registry.contentType;
        return metrics.text();
      },
      { detail: { summary: 'Prometheus metrics (text format)', tags: ['Operations'], security: [{ bearer: [] }, { apiKey: [] }] } },
    );
}
