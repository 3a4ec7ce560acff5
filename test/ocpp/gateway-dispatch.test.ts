import { afterAll, afterEach, beforeAll, expect, test } from 'bun:test';
import type { Server } from 'bun';
import { createOcppGateway, type HandlerTable } from '../../src/ocpp/ocpp-gateway.ts';
import { createSecrets } from '../../src/lib/secrets.ts';
import { silentTap } from '../../src/ocpp/gateway-tap.ts';
import { capturingLogger } from '../support/capturing-logger.ts';
import { eventually } from '../support/eventually.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { rawStation, type RawStation } from '../support/raw-station.ts';
import { STATION_PASSWORD } from '../support/stations.ts';

/**
 * The gateway alone on a real Bun server, with handlers the test controls: how a station's CALLs are dispatched
 * (in arrival order, synchronous ones answered at once) and whether our own answers are checked.
 */
const secrets = createSecrets('test-secret-key-0123456789abcdef0123456789');
const hash = secrets.hash(STATION_PASSWORD);
const { logger, lines } = capturingLogger();
let authorizeGate: PromiseWithResolvers<void>;
/** What the handlers saw, in the order they ran. */
const handled: string[] = [];
/** Frames the gateway read, per station. */
const arrived = new Map<string, number>();
const tap = { ...silentTap, frame: (s: { chargePointId: string }, direction: 'in' | 'out') => void (direction === 'in' && arrived.set(s.chargePointId, (arrived.get(s.chargePointId) ?? 0) + 1)) };

const handlers: HandlerTable = {
  // Asynchronous: answered when the test opens the gate.
  Authorize: async (_station, p) => {
    handled.push(`Authorize ${p.idTag}`);
    await authorizeGate.promise;
    return { idTagInfo: { status: 'Accepted' } };
  },
  Heartbeat: () => {
    handled.push('Heartbeat');
    return { currentTime: '2026-12-06T12:00:00Z' };
  },
  // A bug of ours: the answer lacks its required status.
  DataTransfer: () => ({ data: 'no status' }),
};

function gatewayServer(checkReplies: boolean) {
  const gateway = createOcppGateway({ stations: { passwordHashOf: () => hash }, secrets, logger, clock: new ManualClock(), checkReplies, tap });
  gateway.attach({ handlers: { 'ocpp1.6': handlers, 'ocpp2.0.1': {} }, events: { connected: () => {}, disconnected: () => {} } });
  const server: Server<any> = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: (request, s) => gateway.upgrade(request, s) ?? new Response('Not found', { status: 404 }),
    websocket: gateway.websocket,
  });
  const station = (id: string) => rawStation({ ocppUrl: `ws://127.0.0.1:${server.port}/ocpp`, api: () => Promise.reject(new Error('no API here')) }, id, 'ocpp1.6', { register: false });
  return { server, station };
}

const checking = gatewayServer(true);
const trusting = gatewayServer(false);
const open: RawStation[] = [];
beforeAll(() => {
  authorizeGate = Promise.withResolvers();
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  handled.length = 0;
});
afterAll(() => {
  checking.server.stop(true);
  trusting.server.stop(true);
});

test("a station's CALLs are answered in arrival order: those after an unfinished one wait for it", async () => {
  const station = await checking.station('CP-ORDER');
  open.push(station);
  const answered: string[] = [];
  const track = (id: string, frame: unknown[]) => station.call(id, frame).then((answer) => (answered.push(id), answer));
  const authorize = track('a', [2, 'a', 'Authorize', { idTag: 'TAG1' }]);
  const first = track('h1', [2, 'h1', 'Heartbeat', {}]);
  const second = track('h2', [2, 'h2', 'Heartbeat', {}]);
  await eventually(() => expect(arrived.get('CP-ORDER')).toBe(3));
  // Another station is not held up by this one's pending Authorize.
  const other = await checking.station('CP-OTHER');
  open.push(other);
  expect(await other.call('o1', [2, 'o1', 'Heartbeat', {}])).toEqual([3, 'o1', { currentTime: '2026-12-06T12:00:00Z' }]);
  expect(handled).toEqual(['Authorize TAG1', 'Heartbeat']);
  expect(answered).toEqual([]);

  authorizeGate.resolve();
  expect(await authorize).toEqual([3, 'a', { idTagInfo: { status: 'Accepted' } }]);
  expect(await first).toEqual([3, 'h1', { currentTime: '2026-12-06T12:00:00Z' }]);
  expect(await second).toEqual([3, 'h2', { currentTime: '2026-12-06T12:00:00Z' }]);
  expect(answered).toEqual(['a', 'h1', 'h2']);
  expect(handled).toEqual(['Authorize TAG1', 'Heartbeat', 'Heartbeat', 'Heartbeat']);
});

test('with reply checks on (tests, dev) an answer of ours that breaks its schema becomes an InternalError, logged', async () => {
  const station = await checking.station('CP-CHECKED');
  open.push(station);
  const answer = await station.call('d1', [2, 'd1', 'DataTransfer', { vendorId: 'Acme' }]);
  expect(answer.slice(0, 3)).toEqual([4, 'd1', 'InternalError']);
  expect(lines.some((l) => l.level === 'error' && l.msg === 'Our own OCPP answer failed its schema' && l.fields?.action === 'DataTransfer')).toBe(true);
});

test('with reply checks off (production) our answer is sent as the handler made it', async () => {
  const station = await trusting.station('CP-TRUSTED');
  open.push(station);
  expect(await station.call('d2', [2, 'd2', 'DataTransfer', { vendorId: 'Acme' }])).toEqual([3, 'd2', { data: 'no status' }]);
  // The station's own payload is still checked.
  expect((await station.call('d3', [2, 'd3', 'DataTransfer', {}])).slice(0, 3)).toEqual([4, 'd3', 'OccurrenceConstraintViolation']);
});
