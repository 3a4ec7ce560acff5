import { Elysia, t } from 'elysia';
import type { ApiDeps } from '../api/api-deps.ts';
import { ApiError } from '../api/api-error.ts';
import type { OpsRepo } from '../storage/sqlite/ops.repo.ts';
import type { Metrics } from './metrics.ts';

const CheckSchema = t.Object({ ok: t.Boolean(), detail: t.String() });
const Live = t.Object({ status: t.Literal('ok') }, { examples: [{ status: 'ok' }] });
const Ready = t.Object(
  { status: t.Union([t.Literal('ready'), t.Literal('unavailable')]), checks: t.Record(t.String(), CheckSchema) },
  { examples: [{ status: 'ready', checks: { storage: { ok: true, detail: '12 migrations applied' } } }] },
);
const NotReady = t.Object(Ready.properties, {
  examples: [{ status: 'unavailable', checks: { storage: { ok: false, detail: '11 of 12 migrations applied' } } }],
});

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
    .get('/health/live', () => ({ status: 'ok' as const }), { response: Live, detail: { summary: 'The process runs', tags: ['Operations'] } })
    .get(
      '/health/ready',
      ({ set }) => {
        const checks = { storage: storageCheck(storage.ops) };
        const ready = Object.values(checks).every((c) => c.ok);
        set.status = ready ? 200 : 503;
        return { status: ready ? ('ready' as const) : ('unavailable' as const), checks };
      },
      { response: { 200: Ready, 503: NotReady }, detail: { summary: 'Storage answers and migrations are applied (503 otherwise, with each check)', tags: ['Operations'] } },
    )
    .get(
      '/metrics',
      async ({ headers, set }) => {
        const key = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1] ?? headers['x-api-key'];
        if (!key || !allowed(key)) throw new ApiError(401, 'unauthorized', 'Send the operator API key or METRICS_TOKEN as "Authorization: Bearer <key>"');
        set.headers['content-type'] = metrics.registry.contentType;
        return metrics.text();
      },
      {
        detail: {
          summary: 'Prometheus metrics (text format)',
          tags: ['Operations'],
          security: [{ bearer: [] }, { apiKey: [] }],
          responses: {
            200: {
              description: 'Prometheus text exposition format 0.0.4',
              content: { 'text/plain': { schema: { type: 'string' }, example: '# TYPE dynamo_sessions_active gauge\ndynamo_sessions_active 3\n' } },
            },
            401: { description: 'No or an unknown key', content: { 'application/json': { schema: { type: 'object' }, example: { error: 'unauthorized', message: 'Send the operator API key or METRICS_TOKEN as "Authorization: Bearer <key>"' } } } },
          },
        },
      },
    );
}
