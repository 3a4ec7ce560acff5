import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src/server.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/lib/logger.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { databaseEnv, releaseDirDatabase } from './test-database.ts';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestServer extends ReturnType<typeof startServer> {
  config: Config;
  dir: string;
  /** Operator API call with the admin key; JSON body in, parsed JSON out. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  /** OCPI call with `Authorization: Token <token>` (base64 unless raw). */
  ocpi(method: string, path: string, token: string | undefined, body?: unknown, opts?: { raw?: boolean; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** Stops the server and starts a new one on the same database file (and port). */
  restart(): Promise<TestServer>;
}

/**
 * The real server on port 0 with a real SQLite file in a temp directory (or its own PostgreSQL database when the run
 * is on PostgreSQL: test-database.ts); silent unless given a logger.
 */
export function startTestServer(
  opts: { dir?: string; env?: Record<string, string>; port?: number; logger?: Logger; clock?: Clock; /** The test is about the SQLite file itself. */ sqliteFile?: boolean } = {},
): TestServer {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'dynamo-test-'));
  const config = loadConfig({
    PORT: String(opts.port ?? 0),
    HOST: '127.0.0.1',
    ...(opts.sqliteFile ? { DATABASE_PATH: join(dir, 'dynamo.sqlite') } : databaseEnv(dir)),
    ADMIN_API_KEY: ADMIN_KEY,
    SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789',
    CPO_COUNTRY_CODE: 'NL',
    CPO_PARTY_ID: 'DYN',
    CPO_NAME: 'Dynamo Test CPO',
    PARTNER_TIMEOUT_MS: '3000',
    // Every answer of ours a test provokes is checked against the official schema (off in production).
    OCPP_CHECK_REPLIES: 'on',
    ...opts.env,
  });
  const server = startServer(config, { logger: opts.logger ?? createLogger('silent'), publicUrlExplicit: Boolean(opts.env?.PUBLIC_URL), ...(opts.clock ? { clock: opts.clock } : {}) });
  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(server.url + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: response.status, body: parsed as any, headers: response.headers };
  };
  const test: TestServer = {
    ...server,
    config,
    dir,
    api: (method, path, body, headers) => call(method, path, { authorization: `Bearer ${ADMIN_KEY}`, ...headers }, body),
    ocpi: (method, path, token, body, o) =>
      call(
        method,
        path,
        { ...(token === undefined ? {} : { authorization: `Token ${o?.raw ? token : Buffer.from(token).toString('base64')}` }), ...o?.headers },
        body,
      ),
    async restart() {
      await server.stop();
      return startTestServer({ ...opts, dir, port: server.port });
    },
    async stop() {
      await server.stop();
    },
  };
  return test;
}

/** The test is done with `dir`: it goes, and so does its PostgreSQL database on a PostgreSQL run (to be reused). */
export function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
  releaseDirDatabase(dir);
}
