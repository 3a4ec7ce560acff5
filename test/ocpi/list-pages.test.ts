/**
 * What reaches a list page besides the operator's writes: a station's status change moves its location's
 * last_updated, so the location shows up in an eMSP's date_from sync with its new status; the tokens a hub's
 * parties push decide which of them page through an unpublished location; and the protocol trace keeps each page
 * partners read with its status and how many objects it held, not the objects themselves.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { aLocation, anEvse, putLocation } from '../support/mothers/network.ts';
import { ocpiData } from '../support/mothers/ocpi.ts';
import { partnerPool, type Partner } from '../support/mothers/partners.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation, type Station } from '../support/stations.ts';
import { eventually } from '../support/eventually.ts';
import { routedFrom, type FakeHub } from '../support/fake-hub.ts';
import { ABC, card, hubWithNetwork, XYZ } from '../support/mothers/hub.ts';

const LOCATIONS = '/ocpi/cpo/2.2.1/locations';
const partners = partnerPool();
const clock = new ManualClock('2027-05-10T09:00:00.000Z');
let cpo: TestServer;
let emsp: Partner;
let station: Station;

beforeAll(async () => {
  cpo = startTestServer({ clock });
  emsp = await partners.registered(cpo);
  for (const n of [1, 2, 3]) await putLocation(cpo, `LP-${n}`, aLocation({ evses: [anEvse(`LP-${n}-E1`, n === 2 ? { ocpp: { charge_point_id: 'CP-LP', evse_id: 1 } } : {})] }));
  station = await connectStation(cpo, 'CP-LP');
  await station.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22' });
});
afterAll(async () => {
  await station.client.close();
  await cpo.stop();
  partners.stopAll();
  removeDir(cpo.dir);
});

const page = async (query: string) => {
  const response = await cpo.ocpi('GET', `${LOCATIONS}?${query}`, emsp.token);
  return { locations: ocpiData(response) as any[], total: response.headers.get('x-total-count') };
};

describe("a station's status change", () => {
  test('moves its location into the next date_from page, with the new status, keeping its place in the full list', async () => {
    const before = await page('limit=10');
    expect(before.locations.map((l) => l.id)).toEqual(['LP-1', 'LP-2', 'LP-3']);
    const syncedAt = new Date(clock.now().getTime() + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(await page(`date_from=${syncedAt}`)).toEqual({ locations: [], total: '0' });

    clock.advance(5000);
    await station.client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });

    const changed = await page(`date_from=${syncedAt}`);
    expect(changed.total).toBe('1');
    expect(changed.locations[0]).toMatchObject({ id: 'LP-2', last_updated: '2027-05-10T09:00:05Z', evses: [{ uid: 'LP-2-E1', status: 'CHARGING' }] });
    const after = await page('limit=10');
    expect(after.locations.map((l) => l.id)).toEqual(['LP-1', 'LP-2', 'LP-3']);
    expect(after.locations[1].evses[0].status).toBe('CHARGING');
  });
});

describe('the protocol trace of a list page', () => {
  test('records the exchange with its envelope and the number of objects, not the objects', async () => {
    const response = await cpo.ocpi('GET', `${LOCATIONS}?limit=2`, emsp.token, undefined, { headers: { 'x-request-id': 'req-list-page-1' } });
    expect(ocpiData(response)).toHaveLength(2);
    const partnerId = (await cpo.api('GET', '/api/v1/ocpi/partners')).body.find((p: any) => p.status === 'registered').id;
    // The exchange is recorded once the answer has gone out, then written in the trace's next batch.
    const record = await eventually(async () => {
      await cpo.trace!.flush();
      const records = (await cpo.api('GET', `/api/v1/ocpi/partners/${partnerId}/trace?limit=1000`)).body as any[];
      const found = records.find((r) => r.message_id === 'req-list-page-1');
      expect(found).toBeDefined();
      return found;
    });
    expect(record).toMatchObject({
      protocol: 'ocpi',
      direction: 'in',
      action: 'locations',
      method: 'GET',
      url: `${LOCATIONS}?limit=2`,
      http_status: 200,
      ocpi_status: 1000,
      payload: { response: { status_code: 1000, status_message: 'Success', objects: 2, timestamp: response.body.timestamp } },
    });
  });
});

describe("a hub's parties page through the unpublished locations their tokens open", () => {
  let server: TestServer;
  let hub: FakeHub;
  let hubToken: string;
  type Party = typeof ABC;

  beforeAll(async () => {
    server = startTestServer();
    ({ hub, token: hubToken } = await hubWithNetwork(server));
    await putLocation(server, 'LOC-FLEET', aLocation({ publish: false, publish_allowed_to: [{ group_id: 'FLEET' }], evses: [anEvse('FLEET-1')] }));
  });
  afterAll(async () => {
    await server.stop();
    hub.stop();
    removeDir(server.dir);
  });

  /** The ids and X-Total-Count a party (none: the hub itself) gets for the whole list. */
  const listOf = async (party: Party | undefined) => {
    const response = await server.ocpi('GET', `${LOCATIONS}?limit=10`, hubToken, undefined, party ? { headers: routedFrom(party) } : {});
    return { ids: (ocpiData(response) as { id: string }[]).map((l) => l.id), total: response.headers.get('x-total-count') };
  };
  const push = async (party: Party, uid: string, more: Record<string, unknown>) => {
    const response = await server.ocpi('PUT', `/ocpi/cpo/2.2.1/tokens/${party.country_code}/${party.party_id}/${uid}`, hubToken, card(party, uid, more), { headers: routedFrom(party) });
    expect(response.body.status_code).toBe(1000);
  };

  test('the party whose card is in the group sees it; the other party and the hub itself do not; a card leaving or joining the group moves it', async () => {
    const shown = { ids: ['LOC-HUB', 'LOC-FLEET'], total: '2' };
    const hidden = { ids: ['LOC-HUB'], total: '1' };
    expect([await listOf(ABC), await listOf(XYZ), await listOf(undefined)]).toEqual([hidden, hidden, hidden]);

    await push(ABC, 'ABC-1', { group_id: 'FLEET' });
    expect([await listOf(ABC), await listOf(XYZ), await listOf(undefined)]).toEqual([shown, hidden, hidden]);

    await push(ABC, 'ABC-1', { group_id: 'OTHER' });
    await push(XYZ, 'XYZ-1', { group_id: 'fleet' });
    expect([await listOf(ABC), await listOf(XYZ)]).toEqual([hidden, shown]);
  });
});
