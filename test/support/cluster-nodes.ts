/**
 * Several nodes of the service as real processes sharing one database and one Redis (each run under its own key
 * prefix), for the multi-node tests: one PostgreSQL database (a fresh one per test file) and one Redis key prefix.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { spawnServer, type ServerProcess } from './server-process.ts';
import { removeDir } from './server.ts';
import { freshPostgresDatabase, releasePostgresDatabase } from './test-database.ts';

export interface SharedDatabase {
  env: Record<string, string>;
  drop(): void;
}

/** One PostgreSQL database all nodes open (a fresh one of the test's own), as in production. */
export function sharedPostgres(): SharedDatabase {
  const url = freshPostgresDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-cluster-'));
  return {
    env: { DATABASE_PATH: join(dir, 'dynamo.sqlite'), DATABASE_URL: url },
    drop: () => {
      releasePostgresDatabase(url);
      removeDir(dir);
    },
  };
}

export const CLUSTER_ADMIN_KEY = 'cluster-test-admin-key-0123456789';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ClusterNodeProcess extends ServerProcess {
  nodeId: string;
}

export function testCluster(database: SharedDatabase, env: Record<string, string> = {}, redisUrl = REDIS_URL) {
  const prefix = `test-${crypto.randomUUID()}`;
  const nodes = new Map<string, ClusterNodeProcess>();
  const redis = createClient({ url: redisUrl, socket: { reconnectStrategy: () => 100 } });
  redis.on('error', () => {});
  const connected = redis.connect();
  const common = {
    ...database.env,
    ADMIN_API_KEY: CLUSTER_ADMIN_KEY,
    SECRET_KEY: 'cluster-test-secret-key-0123456789abcdef',
    CPO_COUNTRY_CODE: 'NL',
    CPO_PARTY_ID: 'DYN',
    CPO_NAME: 'Dynamo Cluster Test',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    // Short leases keep takeovers within a second or two.
    CLUSTER_LEASE_MS: '1000',
    DELIVERY_BASE_DELAY_MS: '100',
    DELIVERY_MAX_DELAY_MS: '300',
    SESSION_PATCH_INTERVAL_S: '0',
    ...env,
  };
  return {
    prefix,
    /**
     * Starts node `nodeId` (one at a time: the first one migrates the shared database). `alone`: without REDIS_URL,
     * a single node holding the database exclusively (what several nodes are compared with); `cores` pins it.
     */
    async start(nodeId: string, { alone = false, cores }: { alone?: boolean; cores?: string } = {}): Promise<ClusterNodeProcess> {
      const { REDIS_URL: _, ...single } = common;
      const node = { ...(await spawnServer({ ...(alone ? single : common), NODE_ID: nodeId }, { cores })), nodeId };
      nodes.set(nodeId, node);
      return node;
    },
    node: (nodeId: string) => nodes.get(nodeId)!,
    /** The node holding a lease now (`station` or `delivery` kind), as Redis says. */
    async holder(kind: 'station' | 'delivery', name: string): Promise<string | undefined> {
      await connected;
      const value = await redis.get(`${prefix}:lease:${kind}:${name}`);
      return value?.slice(value.indexOf('|') + 1);
    },
    async stop() {
      await Promise.all([...nodes.values()].map((node) => node.kill()));
      await connected;
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*` })) if (keys.length) await redis.del(keys);
      await redis.close();
      database.drop();
    },
  };
}

export type TestCluster = ReturnType<typeof testCluster>;

/** A Redis server of the test's own (for a test that stops and restarts it), on a free port, keeping nothing on disk. */
export async function privateRedis() {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  let proc: ReturnType<typeof Bun.spawn> | undefined;
  const start = async () => {
    proc = Bun.spawn(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdout: 'ignore', stderr: 'ignore' });
    const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: () => 20 } });
    client.on('error', () => {});
    await client.connect();
    await client.close();
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    /** Gone at once, with all its data (SIGKILL). */
    async kill() {
      proc?.kill('SIGKILL');
      await proc?.exited;
    },
    start,
  };
}

/** An operator API or OCPI call to one node. */
export async function callNode(node: ServerProcess, method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${CLUSTER_ADMIN_KEY}` }) {
  const response = await fetch(node.url + path, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
}

export const ocpiAuth = (token: string) => ({ authorization: `Token ${Buffer.from(token).toString('base64')}` });
