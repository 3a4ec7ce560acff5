/**
 * `bun run simulate` as a user runs it: spawned, its output and exit code read, the CSMS it drove checked
 * through the operator API afterwards.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { eventually } from '../support/eventually.ts';
import { ADMIN_KEY, removeDir, startTestServer, type TestServer } from '../support/server.ts';

const ROOT = join(import.meta.dir, '../..');
const FLAGS = ['--csms', '--api-key', '--stations', '--arrival-rate', '--meter-interval', '--factor', '--seed', '--seconds', '--prefix', '--no-emsp', '--help'];

function simulate(args: string[], viaScript = true) {
  const command = viaScript ? ['bun', 'run', '--silent', 'simulate', ...args] : ['bun', 'src/sim/cli.ts', ...args];
  return Bun.spawn(command, { cwd: ROOT, stdout: 'pipe', stderr: 'pipe' });
}
async function outcome(proc: ReturnType<typeof simulate>) {
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { out, err, code };
}
/** One line on stderr, nothing that looks like a stack trace. */
const oneLine = (err: string) => {
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/^\s+at /m);
};

describe('flags', () => {
  test('--help prints every flag to stdout and exits 0', async () => {
    const { out, err, code } = await outcome(simulate(['--help']));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toStartWith('usage: bun run simulate');
    for (const flag of FLAGS) expect(out).toContain(flag);
  });

  test('an unknown flag is one line on stderr naming it, exit 2', async () => {
    const { out, err, code } = await outcome(simulate(['--csms', 'http://127.0.0.1:1', '--api-key', 'k', '--statoins', '3']));
    expect(code).toBe(2);
    expect(out).toBe('');
    oneLine(err);
    expect(err).toContain("'--statoins'");
  });

  test('--stations abc is one line naming the flag, exit 1', async () => {
    const { err, code } = await outcome(simulate(['--csms', 'http://127.0.0.1:1', '--api-key', 'k', '--stations', 'abc']));
    expect(code).toBe(1);
    oneLine(err);
    expect(err).toContain('--stations');
    expect(err).toContain('"abc"');
  });

  test('a CSMS nobody answers at is one line naming it, exit 1', async () => {
    const closed = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
    const url = `http://127.0.0.1:${closed.port}`;
    await closed.stop(true);
    const { err, code } = await outcome(simulate(['--csms', url, '--api-key', ADMIN_KEY, '--stations', '1']));
    expect(code).toBe(1);
    oneLine(err);
    expect(err).toContain(`cannot run against ${url}`);
  });
});

describe('winding down', () => {
  let server: TestServer;
  beforeAll(() => {
    server = startTestServer({ env: { DELIVERY_BASE_DELAY_MS: '100', DELIVERY_MAX_DELAY_MS: '500', GUEST_STOP_WAIT_S: '2' } });
  });
  afterAll(async () => {
    await server.stop();
    removeDir(server.dir);
  });

  const sessionsOf = async (prefix: string) =>
    ((await server.api('GET', '/api/v1/sessions?limit=1000')).body as { id: string; state: string; charge_point_id: string }[]).filter((s) => s.charge_point_id.startsWith(`${prefix}-`));
  const simEmsps = async () => ((await server.api('GET', '/api/v1/ocpi/partners')).body as { name?: string; status: string }[]).filter((p) => p.name === 'Simulated eMSP');

  test('Ctrl-C while charging: the station stops its session, the eMSP unregisters, exit 130', async () => {
    // One AC station, an hour in a minute: the first driver's 3–5 kWh take several real seconds.
    const proc = simulate(['--csms', server.url, '--api-key', ADMIN_KEY, '--stations', '1', '--seconds', '600', '--factor', '60', '--prefix', 'INT', '--seed', '5'], false);
    const output = outcome(proc);
    const charging = await eventually(async () => {
      const active = (await sessionsOf('INT')).filter((s) => s.state === 'active');
      expect(active.length).toBeGreaterThan(0);
      return active;
    }, 20_000, 100);
    expect((await simEmsps()).map((p) => p.status)).toEqual(['registered']);

    proc.kill('SIGINT');
    const { out, code } = await output;
    expect(code).toBe(130);
    expect(out).toContain('SIGINT: stopping the running sessions');
    // Everything ended when the process did: no session is left open, the one seen charging has its CDR.
    const after = await sessionsOf('INT');
    expect(after.filter((s) => s.state !== 'completed')).toEqual([]);
    const cdrs = (await server.api('GET', '/api/v1/cdrs?limit=1000')).body as { session_id: string }[];
    for (const session of charging) expect(cdrs.filter((c) => c.session_id === session.id)).toHaveLength(1);
    expect((await simEmsps()).map((p) => p.status)).toEqual(['unregistered']);
  }, 60_000);

  test('at the end of --seconds: no session left running and the eMSP unregistered, exit 0', async () => {
    const { out, err, code } = await outcome(
      simulate(['--csms', server.url, '--api-key', ADMIN_KEY, '--stations', '2', '--seconds', '4', '--factor', '60', '--arrival-rate', '240', '--prefix', 'END', '--seed', '3'], false),
    );
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('every completed session has its CDR');
    const sessions = await sessionsOf('END');
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.filter((s) => s.state !== 'completed')).toEqual([]);
    expect((await simEmsps()).every((p) => p.status === 'unregistered')).toBe(true);
  }, 60_000);
});
