import { expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { callNode, ocpiAuth } from '../support/cluster-nodes.ts';
import { bootedStation, cdrsOf, iso, sessionIdOf, twoNodeNetwork } from '../support/cluster-network.ts';

const net = twoNodeNetwork(['CP-P', 'CP-Q'], { through: 'B' });
const { cluster, emsp } = net;

test('node A paused (SIGSTOP) past its lease, the station moves to B; woken (SIGCONT), A writes and pushes nothing for it', async () => {
  const [a, b] = [cluster.node('A'), cluster.node('B')];
  const t0 = Date.now() - 3_600_000;
  const old = await bootedStation(a, 'CP-P');
  const { transactionId } = (await old.call('StartTransaction', { connectorId: 1, idTag: 'RFID0001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
  await old.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 600_000), sampledValue: [{ value: '2000' }] }] });
  const sessionId = await sessionIdOf(b, net.token, 'RFID0001');
  const other = await bootedStation(a, 'CP-Q');
  const otherClosed = new Promise((resolve) => other.once('close', resolve));

  a.signal('SIGSTOP');
  // Asked of A while its lease still stands, a removal through B gets no answer within a lease time; by then A's
  // lease has ended, so B takes the station over (a fenced claim) and removes it.
  expect(await callNode(b, 'DELETE', '/api/v1/charge-points/CP-Q')).toMatchObject({ status: 204 });
  expect(await callNode(b, 'GET', '/api/v1/charge-points/CP-Q')).toMatchObject({ status: 404 });
  // A's lease runs out (B's orphan sweep may adopt the station meanwhile: it holds no socket of it either way).
  await eventually(async () => expect(await cluster.holder('station', 'CP-P')).not.toBe('A'));
  const station = await bootedStation(b, 'CP-P');
  await station.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 1_200_000), sampledValue: [{ value: '6000' }] }] });
  await station.call('StopTransaction', { transactionId, meterStop: 8000, timestamp: iso(t0 + 1_800_000) });
  await eventually(() => expect(cdrsOf(emsp, sessionId)).toHaveLength(1));

  // A frame the station sent to A before it moved waits in A's socket; A handles it once woken.
  const closed = new Promise((resolve) => old.once('close', resolve));
  const stale = old.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 900_000), sampledValue: [{ value: '99999' }] }] }).then(
    () => 'answered',
    () => 'refused',
  );
  a.signal('SIGCONT');
  expect(await stale).toBe('refused');
  await closed;
  // Woken, A hears of B's claim and lets the removed station's socket go too; the removal B asked of it before
  // that claim is refused by the stored epoch, so nothing of CP-Q comes back.
  await otherClosed;
  expect((await callNode(a, 'GET', '/api/v1/charge-points/CP-Q')).status).toBe(404);

  // The shared record is B's: the stale reading is nowhere, the station is still connected (A wrote no disconnection).
  const sessions = (await callNode(a, 'GET', '/ocpi/cpo/2.2.1/sessions?date_from=2020-01-01T00:00:00Z', undefined, ocpiAuth(net.token))).body.data;
  expect(sessions.find((s: any) => s.id === sessionId)).toMatchObject({ status: 'COMPLETED', kwh: 8 });
  const cp = (await callNode(a, 'GET', '/api/v1/charge-points/CP-P')).body;
  expect(cp).toMatchObject({ connected: true, state: 'booted' });
  // The eMSP got one CDR, with B's energy, and no Session push carries the stale reading.
  const partnerId = (await callNode(b, 'GET', '/api/v1/ocpi/partners')).body[0].id;
  await eventually(async () => expect((await callNode(b, 'GET', `/api/v1/ocpi/partners/${partnerId}/deliveries`)).body).toEqual([]));
  expect(cdrsOf(emsp, sessionId)).toEqual([expect.objectContaining({ total_energy: 8 })]);
  const pushedKwh = emsp.received.filter((r) => r.path.includes(`/sessions/NL/DYN/${sessionId}`)).map((r) => (r.body as { kwh?: number }).kwh);
  expect(pushedKwh.every((kwh) => kwh === undefined || kwh <= 8)).toBe(true);
  expect(emsp.store.sessions.get(`NL/DYN/${sessionId}`)).toMatchObject({ status: 'COMPLETED', kwh: 8 });
  // B still answers for the station.
  expect(await cluster.holder('station', 'CP-P')).toBe('B');
  await station.call('Heartbeat', {});
  await station.close();
});
