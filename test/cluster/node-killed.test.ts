import { expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { callNode, ocpiAuth } from '../support/cluster-nodes.ts';
import { bootedStation, cdrsOf, iso, sessionIdOf, twoNodeNetwork } from '../support/cluster-network.ts';

const net = twoNodeNetwork(['CP-K', 'CP-GONE'], { env: { OFFLINE_GRACE_S: '1', GUEST_START_TIMEOUT_S: '3' } });
const { cluster, emsp } = net;
/** A guest waiting for its start on node A when A dies (last test). */
let guestToken: string;

test('node A killed (SIGKILL) mid-session: the station reconnects to B, carries on, and one CDR with the whole energy arrives once', async () => {
  const [a, b] = [cluster.node('A'), cluster.node('B')];
  const t0 = Date.now() - 3_600_000;
  let station = await bootedStation(a, 'CP-K');
  const { transactionId } = (await station.call('StartTransaction', { connectorId: 1, idTag: 'RFID0001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
  await station.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 600_000), sampledValue: [{ value: '4000' }] }] });
  // A second station on A that will not come back after A dies (next test).
  const gone = await bootedStation(a, 'CP-GONE');
  await gone.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  // A guest on that station whose start is accepted and never happens: its expiry was armed on A alone.
  let asked = false;
  gone.handle('RemoteStartTransaction', async () => {
    asked = true;
    return { status: 'Accepted' };
  });
  guestToken = (await callNode(a, 'POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-GONE', connector_id: 1, payment_method_id: 'pm_card_visa' })).body.session_token;
  await eventually(() => expect(asked).toBe(true));

  await a.kill('SIGKILL');
  station = await bootedStation(b, 'CP-K');
  expect(await cluster.holder('station', 'CP-K')).toBe('B');
  await station.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 1_200_000), sampledValue: [{ value: '8000' }] }] });
  await station.call('StopTransaction', { transactionId, meterStop: 10_000, timestamp: iso(t0 + 1_800_000) });

  const sessionId = await sessionIdOf(b, net.token, 'RFID0001');
  await eventually(() => expect(cdrsOf(emsp, sessionId)).toHaveLength(1));
  // 10 kWh × 0.30 = 3.00 excl.; × 1.20 = 3.60 incl.; 30 minutes.
  expect(cdrsOf(emsp, sessionId)[0]).toMatchObject({ total_energy: 10, total_time: 0.5, total_cost: { excl_vat: 3, incl_vat: 3.6 } });
  expect(emsp.store.sessions.get(`NL/DYN/${sessionId}`)).toMatchObject({ status: 'COMPLETED', kwh: 10 });
  // Nothing left to send: no second CDR can come.
  const partnerId = (await callNode(b, 'GET', '/api/v1/ocpi/partners')).body[0].id;
  await eventually(async () => expect((await callNode(b, 'GET', `/api/v1/ocpi/partners/${partnerId}/deliveries`)).body).toEqual([]));
  expect(cdrsOf(emsp, sessionId)).toHaveLength(1);
  expect((await callNode(b, 'GET', '/ocpi/cpo/2.2.1/cdrs', undefined, ocpiAuth(net.token))).body.data).toHaveLength(1);
  await station.close();
});

test('a station left connected by the dead node that does not come back: another node marks it disconnected, partners see UNKNOWN after the grace', async () => {
  const b = cluster.node('B');
  await eventually(async () => expect((await callNode(b, 'GET', '/api/v1/charge-points/CP-GONE')).body).toMatchObject({ connected: false, state: 'disconnected' }), 10_000);
  expect(await cluster.holder('station', 'CP-GONE')).toBe('B');
  await eventually(() => expect(emsp.store.locations.get('NL/DYN/LOC-C').evses.find((e: any) => e.uid === 'E-CP-GONE').status).toBe('UNKNOWN'), 10_000);
  const location = (await callNode(b, 'GET', '/ocpi/cpo/2.2.1/locations/LOC-C', undefined, ocpiAuth(net.token))).body.data;
  expect(location.evses.find((e: any) => e.uid === 'E-CP-GONE').status).toBe('UNKNOWN');
});

test("a guest waiting for its start on the dead node expires on time: the node keeping the shared timers now releases the hold, once", async () => {
  const view = async () => (await callNode(cluster.node('B'), 'GET', `/api/v1/sessions/guest/${guestToken}`)).body;
  await eventually(async () => expect(await view()).toMatchObject({ status: 'expired', payment: { status: 'released' } }), 10_000);
  expect((await view()).payment.calls.map((c: { step: string }) => c.step)).toEqual(['hold', 'release']);
});
