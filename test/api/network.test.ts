/**
 * The operator API for the network (PUT/GET/DELETE /api/v1/locations/{id} and /api/v1/tariffs/{id}): bad input
 * is refused with a clear `{ error, message }` naming the field and leaves nothing behind, EVSEs and OCPP
 * bindings belong to one location only, tariffs in use stay, stamps move only with content, and everything
 * survives a restart.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { stampsOf, advanceToNextSecond, withoutBindings } from '../support/mothers/examples.ts';
import { aConnector, aLocation, anEvse, aTariff, putLocation, putTariff, type LocationBody } from '../support/mothers/network.ts';
import { expectOcpiError, ocpiData } from '../support/mothers/ocpi.ts';
import { partnerPool, type Partner } from '../support/mothers/partners.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const LOCATIONS = '/ocpi/cpo/2.2.1/locations';
const partners = partnerPool();
let cpo: TestServer;
/** The server's clock: stamps (second precision) move to a later second when the test says so, not after a real wait. */
const clock = new ManualClock('2026-11-20T12:00:00.000Z');
let partner: Partner;

beforeAll(async () => {
  cpo = startTestServer({ clock });
  partner = await partners.registered(cpo);
});
afterAll(async () => {
  await cpo.stop();
  partners.stopAll();
  removeDir(cpo.dir);
});

async function expectNoLocation(id: string) {
  const api = await cpo.api('GET', `/api/v1/locations/${encodeURIComponent(id)}`);
  expect(api.status).toBe(404);
  expect(api.body.error).toBe('not_found');
  expectOcpiError(await cpo.ocpi('GET', `${LOCATIONS}/${encodeURIComponent(id)}`, partner.token), 404, 2003);
}

function expectRefused(response: { status: number; body: any }, status: number, ...named: string[]) {
  expect({ status: response.status, error: response.body?.error }).toEqual({ status, error: status === 409 ? 'conflict' : 'invalid_request' });
  expect(typeof response.body.message).toBe('string');
  for (const name of named) expect(response.body.message).toContain(name);
}

describe('a location body that is not a valid OCPI Location is refused, naming the field, and nothing is stored', () => {
  const cases: [string, (l: LocationBody) => void, string][] = [
    ['latitude as a JSON number', (l) => void ((l.coordinates as any).latitude = 52.089444), 'latitude'],
    ['latitude with too few decimals', (l) => void (l.coordinates.latitude = '52.08'), 'latitude'],
    ['an unknown ConnectorType', (l) => void (l.evses![0]!.connectors[0]!.standard = 'TYPE_2'), 'standard'],
    ['a ConnectorType in the wrong case', (l) => void (l.evses![0]!.connectors[0]!.standard = 'iec_62196_t2'), 'standard'],
    ['no address', (l) => void delete (l as any).address, 'address'],
    ['no time_zone', (l) => void delete (l as any).time_zone, 'time_zone'],
    ['an EVSE without connectors', (l) => void (l.evses![0]!.connectors = []), 'connectors'],
    ['an unknown EVSE status', (l) => void (l.evses![0]!.status = 'FREE'), 'status'],
    ['a max_amperage that is not an integer', (l) => void (l.evses![0]!.connectors[0]!.max_amperage = 16.5), 'max_amperage'],
    ['publish_allowed_to while publish is true', (l) => void (l.publish_allowed_to = [{ group_id: 'G1' }]), 'publish_allowed_to'],
    ['a publish_allowed_to entry with a uid but no type', (l) => Object.assign(l, { publish: false, publish_allowed_to: [{ uid: 'ABC' }] }), 'type'],
    ['regular_hours on a 24/7 location', (l) => void (l.opening_times = { twentyfourseven: true, regular_hours: [{ weekday: 1, period_begin: '08:00', period_end: '18:00' }] }), 'regular_hours'],
    ['an OCPP binding with a negative evse_id', (l) => void (l.evses![0]!.ocpp = { charge_point_id: 'CP-BAD', evse_id: -1 }), 'evse_id'],
  ];

  test.each(cases)('%s', async (_what, spoil, field) => {
    const id = `BAD-${field}`.slice(0, 36);
    const body = aLocation({ evses: [anEvse(`${id}-E1`)] });
    spoil(body);
    const response = await cpo.api('PUT', `/api/v1/locations/${id}`, body);
    expectRefused(response, 400, field);
    await expectNoLocation(id);
  });

  test('a body that is not JSON is a 400 too', async () => {
    const response = await cpo.api('PUT', '/api/v1/locations/NOT-JSON', '{"publish": tru', { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(typeof response.body.message).toBe('string');
    await expectNoLocation('NOT-JSON');
  });

  test('a body id differing from the URL id is refused; neither id is stored', async () => {
    const response = await cpo.api('PUT', '/api/v1/locations/URL-ID', aLocation({ id: 'BODY-ID', evses: [anEvse('URL-ID-E1')] }));
    expectRefused(response, 400, 'id', 'BODY-ID', 'URL-ID');
    await expectNoLocation('URL-ID');
    await expectNoLocation('BODY-ID');
  });

  test('a body id equal to the URL id but for case is the same id', async () => {
    const response = await cpo.api('PUT', '/api/v1/locations/CASE-ID', aLocation({ id: 'case-id', evses: [anEvse('CASE-ID-E1')] }));
    expect(response.status).toBe(201);
    expect((await cpo.api('GET', '/api/v1/locations/Case-Id')).status).toBe(200);
  });

  test('another party\'s country_code or party_id is refused, naming the field', async () => {
    expectRefused(await cpo.api('PUT', '/api/v1/locations/FOREIGN', aLocation({ country_code: 'BE', evses: [anEvse('FOREIGN-E1')] })), 400, 'country_code');
    expectRefused(await cpo.api('PUT', '/api/v1/locations/FOREIGN', aLocation({ party_id: 'BEC', evses: [anEvse('FOREIGN-E1')] })), 400, 'party_id');
    await expectNoLocation('FOREIGN');
    // Our own identity, in any case, is fine.
    const ours = await cpo.api('PUT', '/api/v1/locations/FOREIGN', aLocation({ country_code: 'nl', party_id: 'dyn', evses: [anEvse('FOREIGN-E1')] }));
    expect(ours.status).toBe(201);
    expect(ours.body).toMatchObject({ country_code: 'NL', party_id: 'DYN' });
  });

  test('connectors naming unknown tariffs are refused, naming tariff_ids and the tariff', async () => {
    const body = aLocation({ evses: [anEvse('NO-TARIFF-E1', { connectors: [aConnector('1', { tariff_ids: ['NO-SUCH-TARIFF'] })] })] });
    expectRefused(await cpo.api('PUT', '/api/v1/locations/NO-TARIFF', body), 400, 'tariff_ids', 'NO-SUCH-TARIFF');
    await expectNoLocation('NO-TARIFF');
  });

  test('a refused update leaves the stored location exactly as it was', async () => {
    const original = await putLocation(cpo, 'KEEP-ME', aLocation({ evses: [anEvse('KEEP-ME-E1')] }));
    const spoilt = aLocation({ name: 'Changed', evses: [anEvse('KEEP-ME-E1', { connectors: [aConnector('1', { tariff_ids: ['NO-SUCH-TARIFF'] })] })] });
    expectRefused(await cpo.api('PUT', '/api/v1/locations/KEEP-ME', spoilt), 400, 'tariff_ids');
    const invalid = aLocation({ name: 'Changed', evses: [anEvse('KEEP-ME-E1', { status: 'BROKEN' })] });
    expectRefused(await cpo.api('PUT', '/api/v1/locations/KEEP-ME', invalid), 400, 'status');
    expect((await cpo.api('GET', '/api/v1/locations/KEEP-ME')).body).toEqual(original);
  });
});

describe('an EVSE and an OCPP binding belong to one location', () => {
  test('the same EVSE uid in a second location is a 409; the second location is not stored, the first unchanged', async () => {
    const first = await putLocation(cpo, 'UID-OWNER', aLocation({ evses: [anEvse('SHARED-UID')] }));
    for (const uid of ['SHARED-UID', 'shared-uid']) {
      const response = await cpo.api('PUT', '/api/v1/locations/UID-THIEF', aLocation({ evses: [anEvse('OWN-UID'), anEvse(uid)] }));
      expectRefused(response, 409, 'SHARED-UID', 'UID-OWNER');
    }
    await expectNoLocation('UID-THIEF');
    expect((await cpo.api('GET', '/api/v1/locations/UID-OWNER')).body).toEqual(first);
    // The EVSE that was not in conflict is free: nothing of the refused PUT was kept.
    expect((await cpo.api('PUT', '/api/v1/locations/UID-OTHER', aLocation({ evses: [anEvse('OWN-UID')] }))).status).toBe(201);
  });

  test('the same EVSE uid twice in one location is refused', async () => {
    const response = await cpo.api('PUT', '/api/v1/locations/TWICE', aLocation({ evses: [anEvse('TWICE-E1'), anEvse('twice-e1')] }));
    expectRefused(response, 400, 'uid');
    await expectNoLocation('TWICE');
  });

  test('the same connector id twice in one EVSE is refused', async () => {
    const response = await cpo.api('PUT', '/api/v1/locations/TWICE-C', aLocation({ evses: [anEvse('TWICE-C-E1', { connectors: [aConnector('1'), aConnector('1')] })] }));
    expectRefused(response, 400, 'connectors');
    await expectNoLocation('TWICE-C');
  });

  test('the same OCPP charge point + EVSE in a second location is a 409; another EVSE of that charge point is fine', async () => {
    const ocpp = { charge_point_id: 'CP-SHARED', evse_id: 1 };
    await putLocation(cpo, 'CP-OWNER', aLocation({ evses: [anEvse('CP-OWNER-E1', { ocpp })] }));
    const response = await cpo.api('PUT', '/api/v1/locations/CP-THIEF', aLocation({ evses: [anEvse('CP-THIEF-E1', { ocpp })] }));
    expectRefused(response, 409, 'CP-SHARED', 'CP-OWNER');
    await expectNoLocation('CP-THIEF');
    const neighbour = await cpo.api('PUT', '/api/v1/locations/CP-THIEF', aLocation({ evses: [anEvse('CP-THIEF-E1', { ocpp: { ...ocpp, evse_id: 2 } })] }));
    expect(neighbour.status).toBe(201);
    expect(neighbour.body.evses[0].ocpp).toEqual({ charge_point_id: 'CP-SHARED', evse_id: 2 });
  });

  test('the same OCPP charge point + EVSE on two EVSEs of one location is a clear client error, not a server error', async () => {
    const ocpp = { charge_point_id: 'CP-DOUBLE', evse_id: 1 };
    const response = await cpo.api('PUT', '/api/v1/locations/CP-DOUBLE', aLocation({ evses: [anEvse('CP-DOUBLE-E1', { ocpp }), anEvse('CP-DOUBLE-E2', { ocpp })] }));
    expect([400, 409]).toContain(response.status);
    expect(response.body.message).toContain('CP-DOUBLE');
    await expectNoLocation('CP-DOUBLE');
  });

  test('a location may re-bind its own EVSEs (swap the OCPP EVSE numbers) in one PUT', async () => {
    const bound = (a: number, b: number) =>
      aLocation({ evses: [anEvse('SWAP-E1', { ocpp: { charge_point_id: 'CP-SWAP', evse_id: a } }), anEvse('SWAP-E2', { ocpp: { charge_point_id: 'CP-SWAP', evse_id: b } })] });
    await putLocation(cpo, 'SWAP', bound(1, 2));
    const swapped = await cpo.api('PUT', '/api/v1/locations/SWAP', bound(2, 1));
    expect(swapped.status).toBe(200);
    expect(swapped.body.evses.map((e: any) => e.ocpp.evse_id)).toEqual([2, 1]);
  });
});

describe('tariffs in use', () => {
  test('a tariff still listed by a connector cannot be deleted (409) and stays; once unused it can', async () => {
    const tariff = await putTariff(cpo, 'T-USED', aTariff());
    const withTariff = aLocation({ evses: [anEvse('USES-TARIFF-E1', { connectors: [aConnector('1', { tariff_ids: ['t-used'] })] })] });
    expect((await cpo.api('PUT', '/api/v1/locations/USES-TARIFF', withTariff)).status).toBe(201);

    expectRefused(await cpo.api('DELETE', '/api/v1/tariffs/T-USED'), 409, 'T-USED', 'USES-TARIFF');
    expect((await cpo.api('GET', '/api/v1/tariffs/T-USED')).body).toEqual(tariff);
    const tariffsOnOcpi = ocpiData(await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/tariffs?limit=100', partner.token)) as any[];
    expect(tariffsOnOcpi.map((t) => t.id)).toContain('T-USED');

    expect((await cpo.api('PUT', '/api/v1/locations/USES-TARIFF', aLocation({ evses: [anEvse('USES-TARIFF-E1')] }))).status).toBe(200);
    expect((await cpo.api('DELETE', '/api/v1/tariffs/T-USED')).status).toBe(204);
    expect((await cpo.api('GET', '/api/v1/tariffs/T-USED')).status).toBe(404);
    const again = await cpo.api('DELETE', '/api/v1/tariffs/T-USED');
    expect(again.status).toBe(404);
    expect(again.body.error).toBe('not_found');
  });

  test('a tariff without last_updated is accepted: we set it', async () => {
    const { last_updated: _, ...body } = { ...aTariff(), last_updated: 'x' };
    const response = await cpo.api('PUT', '/api/v1/tariffs/NO-STAMP', body);
    expect(response.status).toBe(201);
    expect(response.body.last_updated).toMatch(/Z$/);
  });
});

describe('deleting a location', () => {
  test('DELETE then GET is 404 on the operator API and on OCPI, and the list no longer has it', async () => {
    await putLocation(cpo, 'GOING', aLocation({ evses: [anEvse('GOING-E1', { ocpp: { charge_point_id: 'CP-GOING', evse_id: 1 } })] }));
    expect(ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/GOING`, partner.token)).id).toBe('GOING');
    const deleted = await cpo.api('DELETE', '/api/v1/locations/GOING');
    expect(deleted.status).toBe(204);
    await expectNoLocation('GOING');
    expectOcpiError(await cpo.ocpi('GET', `${LOCATIONS}/GOING/GOING-E1`, partner.token), 404, 2003);
    const list = ocpiData(await cpo.ocpi('GET', `${LOCATIONS}?limit=100`, partner.token)) as any[];
    expect(list.map((l) => l.id)).not.toContain('GOING');
    const again = await cpo.api('DELETE', '/api/v1/locations/GOING');
    expect(again.status).toBe(404);
    expect(again.body.error).toBe('not_found');
    // The charge point it held can be bound elsewhere now.
    const moved = await cpo.api('PUT', '/api/v1/locations/ARRIVING', aLocation({ evses: [anEvse('ARRIVING-E1', { ocpp: { charge_point_id: 'CP-GOING', evse_id: 1 } })] }));
    expect(moved.status).toBe(201);
  });
});

describe('last_updated moves with content only', () => {
  test('changing one connector\'s max_amperage bumps it, its EVSE and the location; an identical PUT changes nothing', async () => {
    const body = aLocation({
      evses: [
        anEvse('CASCADE-E1', { connectors: [aConnector('1'), aConnector('2')], ocpp: { charge_point_id: 'CP-CASCADE', evse_id: 1 } }),
        anEvse('CASCADE-E2', { ocpp: { charge_point_id: 'CP-CASCADE', evse_id: 2 } }),
      ],
    });
    const created = await putLocation(cpo, 'CASCADE', body);
    const before = stampsOf(created);
    advanceToNextSecond(clock, created.last_updated);

    // The operator sends back what it read (our identity, our stamps, the bindings), or the same content bare.
    const echoed = await cpo.api('PUT', '/api/v1/locations/CASCADE', created);
    expect(echoed.status).toBe(200);
    expect(echoed.body).toEqual(created);
    const bare = await cpo.api('PUT', '/api/v1/locations/CASCADE', body);
    expect(bare.body).toEqual(created);

    const changed = structuredClone(body);
    changed.evses![0]!.connectors[1]!.max_amperage = 32;
    const updated = await cpo.api('PUT', '/api/v1/locations/CASCADE', changed);
    expect(updated.status).toBe(200);
    const after = stampsOf(updated.body);
    const newer = (key: string) => Date.parse(after[key]!) > Date.parse(before[key]!);
    expect({
      location: newer('location'),
      evse1: newer('evse CASCADE-E1'),
      connector2: newer('connector CASCADE-E1/2'),
      connector1: after['connector CASCADE-E1/1'] === before['connector CASCADE-E1/1'],
      evse2: after['evse CASCADE-E2'] === before['evse CASCADE-E2'],
      evse2connector: after['connector CASCADE-E2/1'] === before['connector CASCADE-E2/1'],
    }).toEqual({ location: true, evse1: true, connector2: true, connector1: true, evse2: true, evse2connector: true });
    expect(after['location']).toBe(after['evse CASCADE-E1']);
    expect(after['location']).toBe(after['connector CASCADE-E1/2']);

    // Partners syncing with date_from see the change, with the same stamps.
    const since = await cpo.ocpi('GET', `${LOCATIONS}?date_from=${after['location']}&limit=100`, partner.token);
    const synced = (ocpiData(since) as any[]).find((l) => l.id === 'CASCADE');
    expect(synced).toEqual(withoutBindings(updated.body));
    const connector = ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/CASCADE/CASCADE-E1/2`, partner.token));
    expect(connector).toMatchObject({ max_amperage: 32, last_updated: after['connector CASCADE-E1/2'] });
  });
});

describe('persistence', () => {
  test('locations (with bindings and stamps) and tariffs survive a restart, and the rules still hold', async () => {
    await putTariff(cpo, 'T-KEPT', aTariff());
    const location = await putLocation(
      cpo,
      'KEPT',
      aLocation({ evses: [anEvse('KEPT-E1', { ocpp: { charge_point_id: 'CP-KEPT', evse_id: 1 }, connectors: [aConnector('1', { tariff_ids: ['T-KEPT'] })] })] }),
    );
    const tariff = (await cpo.api('GET', '/api/v1/tariffs/T-KEPT')).body;
    const everything = (await cpo.api('GET', '/api/v1/locations?limit=1000')).body;
    const ocpiView = ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/KEPT`, partner.token));

    cpo = await cpo.restart();

    expect((await cpo.api('GET', '/api/v1/locations/KEPT')).body).toEqual(location);
    expect((await cpo.api('GET', '/api/v1/tariffs/T-KEPT')).body).toEqual(tariff);
    expect((await cpo.api('GET', '/api/v1/locations?limit=1000')).body).toEqual(everything);
    expect(ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/KEPT`, partner.token))).toEqual(ocpiView);
    // The EVSE index and the tariff references came back too.
    expectRefused(await cpo.api('PUT', '/api/v1/locations/KEPT-THIEF', aLocation({ evses: [anEvse('KEPT-THIEF-E1', { ocpp: { charge_point_id: 'CP-KEPT', evse_id: 1 } })] })), 409, 'CP-KEPT');
    expectRefused(await cpo.api('DELETE', '/api/v1/tariffs/T-KEPT'), 409, 'KEPT');
    // An identical PUT after the restart still changes no stamp.
    expect((await cpo.api('PUT', '/api/v1/locations/KEPT', location)).body).toEqual(location);
  });
});
