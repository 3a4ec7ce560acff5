import { expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { callNode, ocpiAuth } from '../support/cluster-nodes.ts';
import { appUser, bootedStation, cdrsOf, iso, twoNodeNetwork } from '../support/cluster-network.ts';
import { STATION_PASSWORD } from '../support/stations.ts';

// Two nodes as real processes on one shared database and one Redis; a guest waits 3 s for its start, and its stop
// waits (bounded) for its capture, which another node may write: the guest test tells the two apart.
const START_TIMEOUT_MS = 3_000;
const net = twoNodeNetwork(['CP-R1', 'CP-OFF', 'CP-DEL', 'CP-G', 'CP-RES'], { env: { GUEST_START_TIMEOUT_S: String(START_TIMEOUT_MS / 1000), GUEST_STOP_WAIT_S: '10' }, through: 'B' });
const { cluster, emsp } = net;

test('START_SESSION sent to node B reaches the station on node A; the Session and the CDR reach the eMSP once', async () => {
  const [a, b] = [cluster.node('A'), cluster.node('B')];
  const station = await bootedStation(a, 'CP-R1');
  expect(await cluster.holder('station', 'CP-R1')).toBe('A');
  const t0 = Date.now() - 3_600_000;
  let transactionId: number | undefined;
  station.handle('RemoteStartTransaction', async ({ params }: { params?: any }) => {
    setTimeout(async () => {
      ({ transactionId } = (await station.call('StartTransaction', { connectorId: params.connectorId, idTag: params.idTag, meterStart: 0, timestamp: iso(t0) })) as { transactionId: number });
    }, 10);
    return { status: 'Accepted' };
  });

  const start = await callNode(b, 'POST', '/ocpi/cpo/2.2.1/commands/START_SESSION', { response_url: emsp.responseUrl('start-1'), token: appUser('APP1'), location_id: 'LOC-C', evse_uid: 'E-CP-R1' }, ocpiAuth(net.token));
  expect(start.body.data.result).toBe('ACCEPTED');
  // The station's answer came back from node A to node B, which posts the result.
  await eventually(() => expect(emsp.store.commandResults.get('start-1')).toEqual({ result: 'ACCEPTED' }));
  await eventually(() => expect(transactionId).toBeDefined());
  await station.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 600_000), sampledValue: [{ value: '3000' }] }] });
  await station.call('StopTransaction', { transactionId: transactionId!, meterStop: 5000, timestamp: iso(t0 + 1_200_000) });

  const session = await eventually(() => {
    const pushed = [...emsp.store.sessions.values()].find((s) => s.cdr_token.uid === 'APP1');
    expect(pushed).toMatchObject({ status: 'COMPLETED', kwh: 5 });
    return pushed;
  });
  await eventually(() => expect(cdrsOf(emsp, session.id)).toHaveLength(1));
  expect(cdrsOf(emsp, session.id)[0]).toMatchObject({ total_energy: 5, total_cost: { excl_vat: 1.5, incl_vat: 1.8 } });
  // Both nodes answer reads from the shared record.
  for (const node of [a, b])
    await eventually(async () => expect((await callNode(node, 'GET', '/ocpi/cpo/2.2.1/cdrs', undefined, ocpiAuth(net.token))).body.data.map((c: any) => c.session_id)).toEqual([session.id]));
  await station.close();
});

test('a command for a station no node holds fails at once, as for an offline station on one node', async () => {
  const start = await callNode(cluster.node('A'), 'POST', '/ocpi/cpo/2.2.1/commands/START_SESSION', { response_url: emsp.responseUrl('off-1'), token: appUser('APP2'), location_id: 'LOC-C', evse_uid: 'E-CP-OFF' }, ocpiAuth(net.token));
  expect(start.body.data.result).toBe('ACCEPTED');
  await eventually(() => expect(emsp.store.commandResults.get('off-1')).toEqual({ result: 'FAILED' }));
});

test('removing through node B a station connected to node A stops its session there (one CDR) and closes its socket', async () => {
  const [a, b] = [cluster.node('A'), cluster.node('B')];
  const station = await bootedStation(a, 'CP-DEL');
  const closed = new Promise<{ code: number }>((resolve) => station.once('close', resolve));
  const t0 = Date.now() - 3_600_000;
  const { transactionId } = (await station.call('StartTransaction', { connectorId: 1, idTag: 'RFID0001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
  // Node A holds the running session in memory, as the station's owner.
  await station.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 600_000), sampledValue: [{ value: '2000' }] }] });

  expect((await callNode(b, 'DELETE', '/api/v1/charge-points/CP-DEL')).status).toBe(204);
  expect((await closed).code).toBe(1000);
  const session = (await callNode(b, 'GET', '/api/v1/sessions')).body.find((s: any) => s.charge_point_id === 'CP-DEL');
  expect(session).toMatchObject({ state: 'completed', stop_reason: 'ChargePointRemoved', cdr_id: expect.any(String) });
  await eventually(() => expect(cdrsOf(emsp, session.id)).toHaveLength(1));
  expect(cdrsOf(emsp, session.id)[0]).toMatchObject({ total_energy: 2 });
  for (const node of [a, b]) expect((await callNode(node, 'GET', '/api/v1/charge-points/CP-DEL')).status).toBe(404);

  // Registered again, the station comes back to node A with the StopTransaction it had queued: the removed
  // session is over (node A stopped it itself), so the late stop changes neither the session nor its CDR.
  expect((await callNode(b, 'PUT', '/api/v1/charge-points/CP-DEL', { password: STATION_PASSWORD })).status).toBe(201);
  const again = await bootedStation(a, 'CP-DEL');
  await again.call('StopTransaction', { transactionId, meterStop: 5000, timestamp: iso(t0 + 1_200_000), reason: 'Local' });
  expect((await callNode(b, 'GET', `/api/v1/sessions/${session.id}`)).body).toMatchObject({ stop_reason: 'ChargePointRemoved', end_date_time: session.end_date_time, ocpi: { kwh: 2 } });
  await again.close();
});

test('a reservation made and cancelled through node B for a station on node A: its session is written on A, which serves it as stored', async () => {
  const [a, b] = [cluster.node('A'), cluster.node('B')];
  const station = await bootedStation(a, 'CP-RES');
  for (const action of ['ReserveNow', 'CancelReservation']) station.handle(action, async () => ({ status: 'Accepted' }));
  const sessionOn = async (node: typeof a) => (await callNode(node, 'GET', '/api/v1/sessions')).body.find((s: any) => s.charge_point_id === 'CP-RES');

  const reserve = { response_url: emsp.responseUrl('res-1'), token: appUser('RES1'), expiry_date: iso(Date.now() + 3_600_000), reservation_id: 'RES-1', location_id: 'LOC-C', evse_uid: 'E-CP-RES' };
  expect((await callNode(b, 'POST', '/ocpi/cpo/2.2.1/commands/RESERVE_NOW', reserve, ocpiAuth(net.token))).body.data.result).toBe('ACCEPTED');
  await eventually(() => expect(emsp.store.commandResults.get('res-1')).toEqual({ result: 'ACCEPTED' }));
  // Read on node A, the station's, the session stays in its memory (as a running one does).
  for (const node of [a, b]) expect(await sessionOn(node)).toMatchObject({ state: 'reserved' });

  const cancel = { response_url: emsp.responseUrl('cancel-1'), reservation_id: 'RES-1' };
  expect((await callNode(b, 'POST', '/ocpi/cpo/2.2.1/commands/CANCEL_RESERVATION', cancel, ocpiAuth(net.token))).body.data.result).toBe('ACCEPTED');
  await eventually(() => expect(emsp.store.commandResults.get('cancel-1')).toEqual({ result: 'ACCEPTED' }));
  // Node A ended it itself: written by node B behind A's copy, A would still serve (and later write) 'reserved'.
  for (const node of [a, b]) expect(await sessionOn(node)).toMatchObject({ state: 'completed', stop_reason: 'Reservation cancelled' });
  await eventually(() => expect([...emsp.store.sessions.values()].find((s) => s.cdr_token.uid === 'RES1')?.status).toBe('COMPLETED'));
  await station.close();
});

test('a guest session authorized and stopped through node B, charging on node A: B reads what A wrote, one capture of the final cost', async () => {
  const [a, b] = [cluster.node('A'), cluster.node('B')];
  const station = await bootedStation(a, 'CP-G');
  const t0 = Date.now() - 3_600_000;
  let transactionId: number | undefined;
  station.handle('RemoteStartTransaction', async ({ params }: { params?: any }) => {
    setTimeout(async () => {
      ({ transactionId } = (await station.call('StartTransaction', { connectorId: 1, idTag: params.idTag, meterStart: 0, timestamp: iso(t0) })) as { transactionId: number });
    }, 10);
    return { status: 'Accepted' };
  });
  station.handle('RemoteStopTransaction', async () => {
    setTimeout(() => void station.call('StopTransaction', { transactionId: transactionId!, meterStop: 4000, timestamp: iso(t0 + 1_200_000) }), 10);
    return { status: 'Accepted' };
  });

  // Node B creates the guest session (and holds it in memory); node A, the station's, starts it.
  const authorized = await callNode(b, 'POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-G', connector_id: 1, payment_method_id: 'pm_card_visa' });
  expect(authorized.status).toBe(201);
  const token = authorized.body.session_token;
  await eventually(() => expect(transactionId).toBeDefined());
  await station.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 600_000), sampledValue: [{ value: '2000' }] }] });
  // What node A wrote is what node B serves, not the 'starting' it last held.
  expect((await callNode(b, 'GET', `/api/v1/sessions/guest/${token}/status`)).body).toMatchObject({ status: 'charging', energy_kwh: 2 });

  // Node A ends the session, whichever node delivers the payments channel captures: node B answers once the
  // capture is stored (it looks again at every other node's change), not at the end of its 10 s wait.
  const asked = performance.now();
  const stopped = await callNode(b, 'POST', `/api/v1/sessions/guest/${token}/stop`);
  expect(stopped.body).toMatchObject({ status: 'stopped', energy_kwh: 4 });
  expect(performance.now() - asked).toBeLessThan(5_000);
  // 4 kWh × 0.30 = 1.20 excl.; × 1.20 = 1.44 incl., captured once.
  for (const node of [a, b])
    await eventually(async () => expect((await callNode(node, 'GET', `/api/v1/sessions/guest/${token}`)).body).toMatchObject({ status: 'stopped', final_cost: 1.44, payment: { held: 50, captured: 1.44, released: 48.56 } }));
  await station.close();
});

test('an operator rebinding an EVSE through node B is what the next StatusNotifications of a station on node A move', async () => {
  const [a, b] = [cluster.node('A'), cluster.node('B')];
  const station = await bootedStation(a, 'CP-R1');
  const evseStatus = async (uid: string) => (await callNode(b, 'GET', '/api/v1/locations/LOC-C')).body.evses.find((e: { uid: string }) => e.uid === uid)?.status;
  // Node A reads (and keeps) the station's binding: E-CP-R1.
  await station.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
  await eventually(async () => expect(await evseStatus('E-CP-R1')).toBe('AVAILABLE'));

  const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T1'] };
  const evse = (uid: string, chargePointId?: string) => ({ uid, status: 'AVAILABLE', connectors: [connector], ...(chargePointId ? { ocpp: { charge_point_id: chargePointId, evse_id: 1 } } : {}) });
  const location = { publish: true, address: 'Clusterweg 1', city: 'Delft', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.01160', longitude: '4.35710' } };
  const edit = await callNode(b, 'PUT', '/api/v1/locations/LOC-C', { ...location, evses: [evse('E-CP-R1'), evse('E-NEW', 'CP-R1'), evse('E-CP-OFF', 'CP-OFF')] });
  expect(edit.status).toBe(200);

  // Node B's change reaches node A's memory (within the invalidation's 50 ms): the station's faults land on the EVSE
  // it feeds now. Without it node A would keep moving E-CP-R1 forever.
  await eventually(async () => {
    await station.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'OtherError' });
    expect(await evseStatus('E-NEW')).toBe('OUTOFORDER');
  });
  await station.close();
});

test('deadlines with two nodes, one restarted meanwhile: an unused reservation is cancelled on the station once, a guest that never started expires with one release', async () => {
  const b = cluster.node('B');
  const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T1'] };
  const evse = (n: number) => ({ uid: `E-CP-T-${n}`, status: 'AVAILABLE', capabilities: ['RESERVABLE', 'REMOTE_START_STOP_CAPABLE'], connectors: [connector], ocpp: { charge_point_id: 'CP-T', evse_id: n } });
  const location = { publish: true, address: 'Timerweg 1', city: 'Delft', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.01160', longitude: '4.35710' }, evses: [evse(1), evse(2)] };
  expect((await callNode(b, 'PUT', '/api/v1/locations/LOC-T', location)).status).toBe(201);
  expect((await callNode(b, 'PUT', '/api/v1/charge-points/CP-T', { password: STATION_PASSWORD })).status).toBe(201);
  const station = await bootedStation(b, 'CP-T');
  const calls: string[] = [];
  for (const action of ['ReserveNow', 'CancelReservation', 'RemoteStartTransaction'])
    station.handle(action, async () => {
      calls.push(action);
      return { status: 'Accepted' };
    });

  // Both made through node B, which arms their deadlines; the guest's start is accepted, and nothing starts.
  const reserve = { response_url: emsp.responseUrl('res-t'), token: appUser('RES-T'), expiry_date: iso(Date.now() + START_TIMEOUT_MS), reservation_id: 'RES-T', location_id: 'LOC-T', evse_uid: 'E-CP-T-1' };
  expect((await callNode(b, 'POST', '/ocpi/cpo/2.2.1/commands/RESERVE_NOW', reserve, ocpiAuth(net.token))).body.data.result).toBe('ACCEPTED');
  const guest = (await callNode(b, 'POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-T', connector_id: 2, payment_method_id: 'pm_card_visa' })).body;
  await eventually(() => expect(emsp.store.commandResults.get('res-t')).toEqual({ result: 'ACCEPTED' }));
  await eventually(() => expect(calls).toContain('RemoteStartTransaction'));

  // Node A restarts before they are due: it reads every open deadline from the shared record.
  await cluster.node('A').kill();
  await cluster.start('A');
  const guestView = async () => (await callNode(b, 'GET', `/api/v1/sessions/guest/${guest.session_token}`)).body;
  await eventually(async () => expect(await guestView()).toMatchObject({ status: 'expired', payment: { status: 'released' } }), 10_000);
  await eventually(() => expect(calls.filter((c) => c === 'CancelReservation')).toHaveLength(1), 5_000);
  await eventually(() => expect([...emsp.store.sessions.values()].find((s) => s.cdr_token.uid === 'RES-T')?.status).toBe('COMPLETED'));
  // Both nodes' timers were due seconds before the release was delivered: a second firing would have acted by now.
  expect((await guestView()).payment.calls.map((c: { step: string }) => c.step)).toEqual(['hold', 'release']);
  expect(calls.toSorted()).toEqual(['CancelReservation', 'RemoteStartTransaction', 'ReserveNow']);
  await station.close();
});
