import { afterAll, beforeAll, expect, test } from 'bun:test';
import { join } from 'node:path';
import { startSimulation, type Simulation } from '../../src/sim/simulation.ts';
import { eventually } from '../support/eventually.ts';
import { ADMIN_KEY, removeDir, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let sim: Simulation;
const events: string[] = [];
/** Charging-profile requests the station accepted while the simulation ran (their schedule follows the result). */
let acceptedWhileRunning: string[] = [];

beforeAll(async () => {
  server = startTestServer({ env: { DELIVERY_BASE_DELAY_MS: '100', DELIVERY_MAX_DELAY_MS: '500', GUEST_STOP_WAIT_S: '2' } });
  sim = await startSimulation({
    csmsUrl: server.url,
    apiKey: ADMIN_KEY,
    stations: 4,
    arrivalsPerHour: 60,
    meterIntervalS: 60,
    factor: 600, // ten simulated minutes per real second
    seed: 7,
    emsp: true,
    onEvent: (e) => events.push(`${e.kind}: ${e.message}`),
  });
  // Until every kind of driver has finished at least once (at ten simulated minutes per second, a few seconds).
  await eventually(async () => {
    const cdrs = (await server.api('GET', '/api/v1/cdrs?limit=1000')).body as any[];
    expect(cdrs.filter((c) => c.cdr_token.party_id === 'SIM').length).toBeGreaterThanOrEqual(2);
    const guests = await Promise.all(sim.guestTokens.map(async (token) => (await server.api('GET', `/api/v1/sessions/guest/${token}`)).body.status));
    expect(guests).toContain('stopped');
    // …and the eMSP has limited a session, with the station's schedule back for every limit it accepted.
    const { profileResults, schedules } = sim.emsp!.view();
    acceptedWhileRunning = profileResults.filter((r) => r.result === 'ACCEPTED').map((r) => r.sessionId!);
    expect(acceptedWhileRunning.length).toBeGreaterThan(0);
    for (const sessionId of acceptedWhileRunning) expect(schedules[sessionId]).toBeDefined();
  }, 50_000, 250);
  await sim.stop();
}, 60_000);
afterAll(async () => {
  await server.stop();
  removeDir(server.dir);
});

test('sessions ran and completed, each with exactly one CDR', async () => {
  const sessions = (await server.api('GET', '/api/v1/sessions?limit=1000')).body as any[];
  const completed = sessions.filter((s) => s.state === 'completed' && s.ocpi);
  expect(completed.length).toBeGreaterThan(0);
  const cdrs = (await server.api('GET', '/api/v1/cdrs?limit=1000')).body as any[];
  for (const session of completed) expect(cdrs.filter((c) => c.session_id === session.id)).toHaveLength(1);
  expect(new Set(cdrs.map((c) => c.session_id)).size).toBe(cdrs.length);
});

test('the eMSP received every CDR of its tokens exactly once', async () => {
  const cdrs = ((await server.api('GET', '/api/v1/cdrs?limit=1000')).body as any[]).filter((c) => c.cdr_token.party_id === 'SIM');
  expect(cdrs.length).toBeGreaterThan(0);
  await eventually(() => {
    const received = sim.emsp!.view().cdrs.map((c) => c.id).sort();
    expect(received).toEqual(cdrs.map((c) => c.id).sort());
  }, 10_000);
  expect(sim.emsp!.view().duplicateCdrIds).toEqual([]);
});

test('each EVSE status the eMSP holds matches ours once the pushes are delivered', async () => {
  const partners = (await server.api('GET', '/api/v1/ocpi/partners')).body as any[];
  await eventually(async () => {
    for (const partner of partners) expect((await server.api('GET', `/api/v1/ocpi/partners/${partner.id}/deliveries?state=pending,failed`)).body).toEqual([]);
  }, 10_000);
  const ours = (await server.api('GET', '/api/v1/locations')).body as any[];
  const theirs = sim.emsp!.view().locations;
  expect(theirs.length).toBe(ours.length);
  for (const location of ours)
    for (const evse of location.evses) {
      const held = theirs.find((l) => l.id === location.id)?.evses?.find((e) => e.uid === evse.uid);
      expect({ uid: evse.uid, status: held?.status }).toEqual({ uid: evse.uid, status: evse.status });
    }
});

test('the eMSP limited some of its sessions: every request got its one result, accepted ones their schedule', () => {
  const { profileResults, schedules } = sim.emsp!.view();
  const requested = events.filter((e) => e.startsWith('smart-charging: '));
  expect(requested.length).toBeGreaterThan(0);
  // One result per request (a session may end between the request and the station's answer: REJECTED then).
  expect(profileResults.length).toBeGreaterThan(0);
  expect(profileResults.length).toBeLessThanOrEqual(requested.length);
  expect(new Set(profileResults.map((r) => r.requestId)).size).toBe(profileResults.length);
  // A limit accepted as the simulation stopped may lose its schedule with its session: those before are checked.
  for (const sessionId of acceptedWhileRunning) expect(schedules[sessionId]?.charging_profile.charging_profile_period?.length).toBeGreaterThan(0);
});

test('guests were charged exactly their final cost', async () => {
  let checked = 0;
  for (const token of sim.guestTokens) {
    const guest = (await server.api('GET', `/api/v1/sessions/guest/${token}`)).body;
    if (guest.status !== 'stopped') continue;
    checked += 1;
    expect(guest.payment.captured).toBe(guest.final_cost);
    expect(guest.payment.calls.filter((c: any) => c.step === 'capture')).toHaveLength(1);
  }
  expect(checked).toBeGreaterThan(0);
});

test('`bun run simulate` smoke-tests a running server through its public interfaces', async () => {
  const proc = Bun.spawn(
    ['bun', 'src/sim/cli.ts', '--csms', server.url, '--api-key', ADMIN_KEY, '--stations', '2', '--seconds', '2', '--factor', '600', '--prefix', 'CLI', '--seed', '3'],
    { cwd: join(import.meta.dir, '../..'), stdout: 'pipe', stderr: 'pipe' },
  );
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  expect({ code, err: code === 0 ? '' : err }).toEqual({ code: 0, err: '' });
  expect(out).toContain('Simulation report');
  expect(out).toContain('every completed session has its CDR');
  expect((await server.api('GET', '/api/v1/charge-points/CLI-CP001')).body.id).toBe('CLI-CP001');
}, 40_000);
