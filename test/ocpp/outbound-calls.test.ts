import { afterAll, beforeAll, expect, test } from 'bun:test';
import { OutboundCallError } from '../../src/ocpp/rpc/outbound-calls.ts';
import { eventually } from '../support/eventually.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { connectStation } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
/** Our call timeouts run on this clock: the test moves it past them instead of waiting. */
const clock = new ManualClock('2026-11-20T12:00:00.000Z');
/** The OutboundCallError a call failed with (fails the test if it succeeded). */
const failureOf = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(OutboundCallError);
      return error as OutboundCallError;
    },
  );
beforeAll(() => {
  server = startTestServer({ clock });
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dir);
});

test('our CALLs go one at a time, in order, and are answered while the station keeps calling us', async () => {
  const { client, strictFailures } = await connectStation(server, 'CP-OUT');
  const order: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  client.handle('TriggerMessage', async ({ params }) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // While our CALL is outstanding the station's own CALL is still answered.
    await client.call('Heartbeat', {});
    // The station's own answer latency (its clock, not ours): our next CALL must still wait for the answer.
    await Bun.sleep(20);
    order.push(String(params?.requestedMessage));
    inFlight -= 1;
    return { status: 'Accepted' };
  });
  const answers = await Promise.all(
    ['Heartbeat', 'StatusNotification', 'MeterValues'].map((requestedMessage) => server.gateway.call('CP-OUT', 'TriggerMessage', { requestedMessage })),
  );
  expect(answers).toEqual([{ status: 'Accepted' }, { status: 'Accepted' }, { status: 'Accepted' }]);
  expect(order).toEqual(['Heartbeat', 'StatusNotification', 'MeterValues']);
  expect(maxInFlight).toBe(1);
  expect(strictFailures).toEqual([]);
  await client.close();
});

test('a station that never answers times out; a closed connection fails every waiting call at once', async () => {
  const { client } = await connectStation(server, 'CP-SLOW');
  let asked = 0;
  client.handle('TriggerMessage', () => {
    asked += 1;
    return new Promise(() => {});
  });
  const timing = failureOf(server.gateway.call('CP-SLOW', 'TriggerMessage', { requestedMessage: 'Heartbeat' }, 100));
  await eventually(() => expect(asked).toBe(1));
  clock.advance(100);
  const timedOut = await timing;
  expect(timedOut).toBeInstanceOf(OutboundCallError);
  expect(timedOut.reason).toBe('timeout');

  const pending = [1, 2].map(() => failureOf(server.gateway.call('CP-SLOW', 'TriggerMessage', { requestedMessage: 'Heartbeat' }, 10_000)));
  // The first is at the station, the second queued behind it, when the connection goes.
  await eventually(() => expect(asked).toBe(2));
  // The station's handler never settles, so close without waiting for it.
  await client.close({ force: true });
  const failed = await Promise.all(pending);
  expect(failed.map((e) => e.reason)).toEqual(['closed', 'closed']);
  const offline = await failureOf(server.gateway.call('CP-SLOW', 'TriggerMessage', { requestedMessage: 'Heartbeat' }));
  expect(offline.reason).toBe('closed');
});

test('a CALLERROR answer and an answer that breaks the schema are reported as such', async () => {
  const { client } = await connectStation(server, 'CP-ERR');
  client.handle('TriggerMessage', () => {
    throw new Error('boom');
  });
  const error = await failureOf(server.gateway.call('CP-ERR', 'TriggerMessage', { requestedMessage: 'Heartbeat' }));
  expect(error.reason).toBe('call-error');
  // Our own invalid CALL is refused before it is sent.
  expect(() => server.gateway.call('CP-ERR', 'TriggerMessage', { requestedMessage: 'Coffee' })).toThrow();
  await client.close();
});

test('an oversized frame closes only that socket; other stations carry on', async () => {
  const big = await connectStation(server, 'CP-BIG');
  const other = await connectStation(server, 'CP-OTHER');
  const closed = new Promise<{ code: number }>((resolve) => big.client.once('close', resolve));
  big.client.sendRaw(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'x', data: 'x'.repeat(2 * 1024 * 1024) }]));
  expect((await closed).code).toBe(1009);
  expect(await other.client.call('Heartbeat', {})).toHaveProperty('currentTime');
  expect(await other.client.call('DataTransfer', { vendorId: 'com.example' })).toEqual({ status: 'UnknownVendorId' });
  await other.client.close();
});
