/**
 * The command machine on a ManualClock: a silent station times out exactly at the deadline, an answering one
 * settles with its answer (and its deadline timer is gone), and a command left open by a stopped system is
 * restored by a new system on the same database and still times out exactly once. No test sleeps.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor, fromPromise, waitFor } from 'xstate';
import { commandMachine, type Settlement } from '../../actors/commands/command.machine.ts';
import type { AuthenticatedPartner } from '../../actors/partner/partners.ts';
import { ActorSystem } from '../../actors/system/actor-system.ts';
import type { ChargingNetworkPort } from '../../actors/system/actor-system.ports.ts';
import { xstateClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createSecrets } from '../../src/lib/secrets.ts';
import type { Location } from '../../src/model/ocpi/location.ts';
import { createStorage } from '../../src/storage/storage.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { removeDir } from '../support/server.ts';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');

/** The machine with a station that answers when the test says so, and a record of what it settled. */
function commandOn(clock: ManualClock, opts: { resumed?: boolean } = {}) {
  const settled: string[] = [];
  const bugs: unknown[] = [];
  let answer!: { resolve: (settlement: Settlement) => void; reject: (error: unknown) => void };
  const station = new Promise<Settlement>((resolve, reject) => (answer = { resolve, reject }));
  const machine = commandMachine.provide({
    actors: { callStation: fromPromise(() => station) },
    actions: { settle: (_, { settlement }) => void settled.push(settlement.result), reportBug: (_, { error }) => void bugs.push(error) },
  });
  const now = clock.now().getTime();
  // An OCPI command's results without a station answer (a charging-profile request has REJECTED for both).
  const failures = { timeout: 'TIMEOUT', failed: 'FAILED' };
  const input = { commandId: 'cmd-1', type: 'START_SESSION', deadlineMs: now + 30_000, nowMs: now, failures, ...opts };
  const actor = createActor(machine, { input, clock: xstateClock(clock) }).start();
  return { actor, settled, bugs, answer };
}

describe('command machine', () => {
  test('a silent station: TIMEOUT exactly at the deadline, once', () => {
    const clock = new ManualClock(T0);
    const { actor, settled } = commandOn(clock);
    expect(actor.getSnapshot().value).toBe('callingStation');
    clock.advance(29_999);
    expect(settled).toEqual([]);
    clock.advance(1);
    expect(settled).toEqual(['TIMEOUT']);
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().context.settlement).toEqual({ result: 'TIMEOUT' });
    clock.advance(60_000);
    expect(settled).toEqual(['TIMEOUT']);
    expect(clock.pending).toBe(0);
  });

  test('the station answers: its result, and the deadline no longer fires', async () => {
    const clock = new ManualClock(T0);
    const { actor, settled, answer } = commandOn(clock);
    clock.advance(5_000);
    answer.resolve({ result: 'ACCEPTED' });
    await waitFor(actor, (s) => s.status === 'done');
    expect(settled).toEqual(['ACCEPTED']);
    expect(clock.pending).toBe(0);
    clock.advance(60_000);
    expect(settled).toEqual(['ACCEPTED']);
  });

  test('a station failure maps to its result; a bug is FAILED and reported', async () => {
    const clock = new ManualClock(T0);
    const silent = commandOn(clock);
    silent.answer.reject(Object.assign(new Error('no answer'), { reason: 'timeout' }));
    await waitFor(silent.actor, (s) => s.status === 'done');
    expect(silent.settled).toEqual(['TIMEOUT']);
    const buggy = commandOn(clock);
    buggy.answer.reject(new TypeError('oops'));
    await waitFor(buggy.actor, (s) => s.status === 'done');
    expect(buggy.settled).toEqual(['FAILED']);
    expect(buggy.bugs).toHaveLength(1);
  });

  test('restored (resumed): no station call, only the deadline', () => {
    const clock = new ManualClock(T0);
    const { actor, settled } = commandOn(clock, { resumed: true });
    expect(actor.getSnapshot().value).toBe('awaitingDeadline');
    clock.advance(30_000);
    expect(settled).toEqual(['TIMEOUT']);
  });
});

describe('a command across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-command-'));
  const path = join(dir, 'dynamo.sqlite');
  afterAll(() => removeDir(dir));

  const location = {
    country_code: 'NL', party_id: 'DYN', id: 'LOC-R', publish: true, address: 'Herstartweg 1', city: 'Gouda', country: 'NLD', time_zone: 'Europe/Amsterdam',
    coordinates: { latitude: '52.01', longitude: '4.71' }, last_updated: '2026-01-01T00:00:00Z',
    evses: [{ uid: 'R-1', status: 'AVAILABLE', capabilities: ['REMOTE_START_STOP_CAPABLE'], connectors: [], last_updated: '2026-01-01T00:00:00Z' }],
  } as unknown as Location;
  const partnerWithId = (partnerId: string) =>
    ({ partnerId, kind: 'C', status: 'REGISTERED', token: 't', context: { roles: [{ country_code: 'DE', party_id: 'EMS' }] }, parties: [{ country_code: 'DE', party_id: 'EMS' }] }) as unknown as AuthenticatedPartner;
  const token = { country_code: 'DE', party_id: 'EMS', uid: 'RESTART1', type: 'APP_USER', contract_id: 'C-R1', issuer: 'Fake', valid: true, whitelist: 'NEVER', last_updated: '2026-01-01T00:00:00Z' };

  /** A system on the database file with a station that never answers (the same wiring as src/app.ts, minus the network). */
  function systemOn(clock: ManualClock) {
    const storage = createStorage(path);
    const calls: string[] = [];
    const network: ChargingNetworkPort = {
      applyEvseStatuses: () => undefined,
      sessionPlace: () => undefined,
      location: (_viewer, id) => (id === location.id ? location : undefined),
      bindingOf: () => ({ chargePointId: 'CP-R', ocppEvseId: 1 }),
      snapshot: () => ({ tariffs: [], locations: [] }),
    };
    const system = new ActorSystem({
      storage,
      network: () => network,
      stations: { call: (_cp, action) => (calls.push(action), new Promise(() => {})), disconnect: () => undefined, isConnected: () => true },
      partnerGateway: {} as never,
      payments: {} as never,
      evseStatus: () => undefined,
      ourCredentials: () => ({}) as never,
      secrets: createSecrets('command-machine-test-secret-0123456789abcdef'),
      clock,
      logger: createLogger('silent'),
      settings: {
        owner: { countryCode: 'NL', partyId: 'DYN', name: 'Dynamo' },
        invitationTtlSeconds: 3600,
        offlineGraceSeconds: 120,
        actorIdleEvictSeconds: 30,
        commandTimeoutSeconds: 30,
        authorizeTimeoutMs: 3000,
        guest: { holdAmount: '50.00', startTimeoutSeconds: 60, stopWaitSeconds: 30 },
        delivery: { maxAttempts: 3, maxAgeMs: 60_000, baseDelayMs: 1000, maxDelayMs: 10_000 },
        sessionPatchIntervalSeconds: 15,
      },
    });
    system.start();
    const results = (id: string) => storage.sqlite.query('select count(*) as n from outbox where object_key = ?').get(`command:${id}`) as { n: number };
    const stop = () => {
      system.close();
      storage.close();
    };
    return { system, storage, calls, results, stop };
  }

  test('restored by a new system on the same database, it still times out exactly once', async () => {
    const clock = new ManualClock(T0);
    const first = systemOn(clock);
    // The command's partner connection exists (its token becomes the connection's).
    const partner = partnerWithId(first.system.partners.invite('Restart eMSP').partnerId);
    const reception = first.system.commands.startSession(partner, { response_url: 'https://emsp.example/results/restart-1', token, location_id: 'LOC-R', evse_uid: 'R-1' } as never);
    expect(reception.response).toEqual({ result: 'ACCEPTED', timeout: 30 });
    await Promise.resolve();
    await Promise.resolve();
    expect(first.calls).toEqual(['RemoteStartTransaction']);
    const [open] = first.storage.commands.open();
    expect(open).toMatchObject({ type: 'START_SESSION', deadlineMs: T0 + 30_000, result: null });
    clock.advance(10_000);
    // A restart: the first system stops (its actors and their timers with it), a new one starts on the same file.
    first.stop();
    expect(clock.pending).toBe(0);
    const second = systemOn(clock);
    clock.advance(19_999);
    expect(second.storage.commands.get(open!.id)?.result).toBeNull();
    clock.advance(1);
    expect(second.storage.commands.get(open!.id)?.result).toBe('TIMEOUT');
    expect(second.results(open!.id).n).toBe(1);
    // The station is not called again after the restart, and nothing fires twice.
    expect(second.calls).toEqual([]);
    clock.advance(120_000);
    expect(second.results(open!.id).n).toBe(1);
    expect(second.storage.commands.open()).toEqual([]);
    // A third start finds nothing open.
    second.stop();
    const third = systemOn(clock);
    clock.advance(120_000);
    expect(third.results(open!.id).n).toBe(1);
    third.stop();
  });
});
