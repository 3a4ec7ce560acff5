import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config.ts';
import { removeDir } from './support/server.ts';

/** The smallest environment that starts the service. */
const valid = {
  ADMIN_API_KEY: 'admin-key-0123456789abcdef',
  SECRET_KEY: 'secret-key-0123456789abcdef0123456789',
  CPO_COUNTRY_CODE: 'NL',
  CPO_PARTY_ID: 'DYN',
  CPO_NAME: 'Dynamo Test CPO',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

/** Exactly one problem, and it names the variable. */
function expectOneProblem(env: Record<string, string | undefined>, variable: string, mentions?: string) {
  const problems = problemsOf(env);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain(variable);
  if (mentions) expect(problems[0]).toContain(mentions);
}

describe('loadConfig defaults', () => {
  test('a minimal environment gives PORT 3000, PUBLIC_URL http://localhost:3000 and ./data/dynamo.sqlite', () => {
    const config = loadConfig(valid);
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.databasePath).toBe('./data/dynamo.sqlite');
    expect(config.adminApiKey).toBe(valid.ADMIN_API_KEY);
    expect(config.secretKey).toBe(valid.SECRET_KEY);
    expect(config.cpo).toEqual({ countryCode: 'NL', partyId: 'DYN', name: 'Dynamo Test CPO' });
    expect(config.redisUrl).toBeUndefined();
  });

  test('PUBLIC_URL follows PORT when unset; an explicit PUBLIC_URL loses its trailing slash', () => {
    expect(loadConfig({ ...valid, PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ ...valid, PUBLIC_URL: 'https://csms.example.com/' }).publicUrl).toBe('https://csms.example.com');
  });

  test('empty values count as unset, and party identity is upper-cased', () => {
    const config = loadConfig({ ...valid, PORT: '', PUBLIC_URL: '  ', DATABASE_PATH: '', CPO_COUNTRY_CODE: 'nl', CPO_PARTY_ID: 'dyn' });
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.databasePath).toBe('./data/dynamo.sqlite');
    expect(config.cpo.countryCode).toBe('NL');
    expect(config.cpo.partyId).toBe('DYN');
  });

  test('valid explicit values are taken as given', () => {
    const config = loadConfig({ ...valid, PORT: '0', DATABASE_PATH: '/tmp/x.sqlite', DATABASE_URL: 'postgres://db/dynamo', REDIS_URL: 'rediss://cache:6380/0' });
    expect(config.port).toBe(0);
    expect(config.databasePath).toBe('/tmp/x.sqlite');
    expect(config.redisUrl).toBe('rediss://cache:6380/0');
    expect(loadConfig({ ...valid, DATABASE_URL: 'postgres://db/dynamo', REDIS_URL: 'redis://localhost:6379' }).redisUrl).toBe('redis://localhost:6379');
  });

  test('REDIS_URL (several nodes) without DATABASE_URL is refused: each node would keep a SQLite file of its own', () => {
    expectOneProblem({ ...valid, REDIS_URL: 'redis://localhost:6379' }, 'REDIS_URL', 'DATABASE_URL');
  });

  test('several nodes: NODE_ID defaults to host name and pid; key prefix and lease time', () => {
    expect(loadConfig(valid).cluster).toEqual({ nodeId: `${hostname()}-${process.pid}`, keyPrefix: 'dynamo', leaseMs: 10_000 });
    expect(loadConfig({ ...valid, NODE_ID: 'node-b', REDIS_KEY_PREFIX: 'prod', CLUSTER_LEASE_MS: '3000' }).cluster).toEqual({ nodeId: 'node-b', keyPrefix: 'prod', leaseMs: 3000 });
    expectOneProblem({ ...valid, NODE_ID: 'node b' }, 'NODE_ID', 'node b');
    expectOneProblem({ ...valid, REDIS_KEY_PREFIX: 'a|b' }, 'REDIS_KEY_PREFIX', 'a|b');
    expectOneProblem({ ...valid, CLUSTER_LEASE_MS: '0' }, 'CLUSTER_LEASE_MS');
  });
});

describe('loadConfig: one clear message per bad value', () => {
  test('bad PORT', () => {
    expectOneProblem({ ...valid, PORT: 'eighty' }, 'PORT', 'eighty');
    expectOneProblem({ ...valid, PORT: '70000' }, 'PORT', '70000');
    expectOneProblem({ ...valid, PORT: '-1' }, 'PORT', '-1');
    expectOneProblem({ ...valid, PORT: '80.5' }, 'PORT');
  });

  test('PUBLIC_URL that is not an http(s) URL', () => {
    expectOneProblem({ ...valid, PUBLIC_URL: 'csms.example.com' }, 'PUBLIC_URL', 'csms.example.com');
    expectOneProblem({ ...valid, PUBLIC_URL: 'ftp://csms.example.com' }, 'PUBLIC_URL');
    expectOneProblem({ ...valid, PUBLIC_URL: 'not a url' }, 'PUBLIC_URL');
  });

  test('missing or short ADMIN_API_KEY', () => {
    expectOneProblem({ ...valid, ADMIN_API_KEY: undefined }, 'ADMIN_API_KEY', 'required');
    expectOneProblem({ ...valid, ADMIN_API_KEY: '' }, 'ADMIN_API_KEY', 'required');
    expectOneProblem({ ...valid, ADMIN_API_KEY: 'short-key' }, 'ADMIN_API_KEY', '16');
  });

  test('missing or short SECRET_KEY', () => {
    expectOneProblem({ ...valid, SECRET_KEY: undefined }, 'SECRET_KEY', 'required');
    expectOneProblem({ ...valid, SECRET_KEY: 'only-twenty-chars-xx' }, 'SECRET_KEY', '32');
  });

  test('bad CPO_COUNTRY_CODE and CPO_PARTY_ID', () => {
    expectOneProblem({ ...valid, CPO_COUNTRY_CODE: 'NLD' }, 'CPO_COUNTRY_CODE', 'NLD');
    expectOneProblem({ ...valid, CPO_COUNTRY_CODE: undefined }, 'CPO_COUNTRY_CODE');
    expectOneProblem({ ...valid, CPO_COUNTRY_CODE: 'N1' }, 'CPO_COUNTRY_CODE');
    expectOneProblem({ ...valid, CPO_PARTY_ID: 'DYNAMO' }, 'CPO_PARTY_ID', 'DYNAMO');
    expectOneProblem({ ...valid, CPO_PARTY_ID: 'D-N' }, 'CPO_PARTY_ID');
    expectOneProblem({ ...valid, CPO_PARTY_ID: undefined }, 'CPO_PARTY_ID');
  });

  test('DATABASE_URL: a postgres:// or postgresql:// URL, kept beside DATABASE_PATH; anything else refused without echoing it (it may hold a password)', () => {
    expect(loadConfig(valid).databaseUrl).toBeUndefined();
    const both = loadConfig({ ...valid, DATABASE_URL: 'postgres://dynamo:pw@db:5432/dynamo', DATABASE_PATH: '/tmp/x.sqlite' });
    expect(both.databaseUrl).toBe('postgres://dynamo:pw@db:5432/dynamo');
    expect(loadConfig({ ...valid, DATABASE_URL: 'postgresql://db/dynamo' }).databaseUrl).toBe('postgresql://db/dynamo');
    expectOneProblem({ ...valid, DATABASE_URL: 'mysql://u:hunter2@db/dynamo' }, 'DATABASE_URL');
    expect(problemsOf({ ...valid, DATABASE_URL: 'mysql://u:hunter2@db/dynamo' }).join('\n')).not.toContain('hunter2');
  });

  test('REDIS_URL that is not redis:// or rediss://', () => {
    expectOneProblem({ ...valid, REDIS_URL: 'http://localhost:6379' }, 'REDIS_URL', 'http://localhost:6379');
    expectOneProblem({ ...valid, REDIS_URL: 'localhost:6379' }, 'REDIS_URL');
  });

  test('SESSION_PATCH_INTERVAL_S: 15 s unless set, 0 allowed (every change at once), anything but whole seconds up to an hour refused', () => {
    expect(loadConfig(valid).sessionPatchIntervalSeconds).toBe(15);
    expect(loadConfig({ ...valid, SESSION_PATCH_INTERVAL_S: '0' }).sessionPatchIntervalSeconds).toBe(0);
    expect(loadConfig({ ...valid, SESSION_PATCH_INTERVAL_S: '60' }).sessionPatchIntervalSeconds).toBe(60);
    for (const bad of ['-1', '1.5', 'fifteen', '3601', '15s'])
      expectOneProblem({ ...valid, SESSION_PATCH_INTERVAL_S: bad }, 'SESSION_PATCH_INTERVAL_S', `"${bad}"`);
  });

  test('ACTOR_IDLE_EVICT_S: 30 s unless set, 0 allowed (never evict), anything but whole seconds refused', () => {
    expect(loadConfig(valid).actorIdleEvictSeconds).toBe(30);
    expect(loadConfig({ ...valid, ACTOR_IDLE_EVICT_S: '0' }).actorIdleEvictSeconds).toBe(0);
    for (const bad of ['-1', '2.5', 'soon', '30s'])
      expectOneProblem({ ...valid, ACTOR_IDLE_EVICT_S: bad }, 'ACTOR_IDLE_EVICT_S', `"${bad}"`);
  });

  test('all problems are listed at once, each once, and the message lists them all', () => {
    let caught: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        PUBLIC_URL: 'nowhere',
        SECRET_KEY: 'too-short',
        CPO_COUNTRY_CODE: 'NLD',
        CPO_PARTY_ID: 'TOOLONG',
        CPO_NAME: 'X',
        REDIS_URL: 'http://cache',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const { problems, message } = caught as ConfigError;
    for (const variable of ['PORT', 'PUBLIC_URL', 'ADMIN_API_KEY', 'SECRET_KEY', 'CPO_COUNTRY_CODE', 'CPO_PARTY_ID', 'REDIS_URL']) {
      const mentioning = problems.filter((p) => p.startsWith(`${variable} `));
      expect({ variable, count: mentioning.length }).toEqual({ variable, count: 1 });
      expect(message).toContain(mentioning[0]!);
    }
    expect(problems).toHaveLength(7);
  });
});

describe('bun src/main.ts with a bad environment', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dynamo-config-'));
  });
  afterAll(() => removeDir(dir));

  test('exits non-zero and prints the problem on stderr when ADMIN_API_KEY is missing', async () => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: join(dir, 'dynamo.sqlite'),
      SECRET_KEY: valid.SECRET_KEY,
      CPO_COUNTRY_CODE: 'NL',
      CPO_PARTY_ID: 'DYN',
      CPO_NAME: 'Dynamo Test CPO',
    };
    const proc = Bun.spawn(['bun', join(import.meta.dir, '../src/main.ts')], {
      cwd: dir,
      env,
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const timer = setTimeout(() => proc.kill(), 8000);
    const [code, stderr, stdout] = await Promise.all([proc.exited, new Response(proc.stderr).text(), new Response(proc.stdout).text()]);
    clearTimeout(timer);
    expect(code).not.toBe(0);
    expect(proc.signalCode).toBeNull(); // it exited by itself, it was not killed by the timer
    expect(stderr).toContain('ADMIN_API_KEY is required');
    expect(stderr).not.toContain('SECRET_KEY'); // only the actual problem is reported
    expect(stdout).not.toContain('listening');
  }, 10_000);
});
