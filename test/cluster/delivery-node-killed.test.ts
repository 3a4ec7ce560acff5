import { expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { callNode } from '../support/cluster-nodes.ts';
import { bootedStation, iso, twoNodeNetwork } from '../support/cluster-network.ts';

// Retries every 100-300 ms while the partner is down, and no dead letter meanwhile.
const { cluster, emsp } = twoNodeNetwork(['CP-D1', 'CP-D2'], { env: { DELIVERY_MAX_ATTEMPTS: '100000' } });

test('the node delivering to a partner is killed while the partner is down: after recovery every CDR arrives exactly once', async () => {
  const partnerId = (await callNode(cluster.node('A'), 'GET', '/api/v1/ocpi/partners')).body[0].id as string;
  // The initial sync is through; from now on the eMSP answers 503.
  await eventually(async () => expect((await callNode(cluster.node('A'), 'GET', `/api/v1/ocpi/partners/${partnerId}/deliveries`)).body).toEqual([]));
  emsp.state.failWith = 503;
  const t0 = Date.now() - 3_600_000;
  // One session on each node.
  for (const [node, id, kwh] of [['A', 'CP-D1', 3], ['B', 'CP-D2', 7]] as const) {
    const station = await bootedStation(cluster.node(node), id);
    const { transactionId } = (await station.call('StartTransaction', { connectorId: 1, idTag: 'RFID0001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
    await station.call('StopTransaction', { transactionId, meterStop: kwh * 1000, timestamp: iso(t0 + 600_000) });
    await station.close();
  }
  const holder = await eventually(async () => {
    const node = await cluster.holder('delivery', partnerId);
    expect(node).toBeDefined();
    return node!;
  });
  // It has been trying: failed attempts are recorded on the rows.
  await eventually(async () => {
    const waiting = (await callNode(cluster.node(holder), 'GET', `/api/v1/ocpi/partners/${partnerId}/deliveries?state=failed`)).body as any[];
    expect(waiting.filter((d) => d.object.startsWith('cdr:') && d.attempts > 0)).toHaveLength(2);
  });
  await cluster.node(holder).kill('SIGKILL');
  const survivor = cluster.node(holder === 'A' ? 'B' : 'A');

  emsp.state.failWith = undefined;
  await eventually(async () => expect((await callNode(survivor, 'GET', `/api/v1/ocpi/partners/${partnerId}/deliveries`)).body).toEqual([]), 10_000);
  expect(await cluster.holder('delivery', partnerId)).toBe(survivor.nodeId);
  expect(emsp.store.cdrs.map((c) => c.total_energy).sort()).toEqual([3, 7]);
  expect(new Set(emsp.store.cdrs.map((c) => c.id)).size).toBe(2);
});
