/**
 * Locations as partners see them (OCPI 2.2.1 Locations, Sender interface), after an operator stored them
 * through the operator API: the official examples come back as sent (with our identity and our stamps),
 * unpublished ones only reach partners holding a matching token, and OCPP bindings never leave the house.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { asOurs, example, expectFreshLocationStamps, withoutBindings, withoutStamps } from '../support/mothers/examples.ts';
import { aConnector, aLocation, anEvse, aTariff, putLocation, putTariff } from '../support/mothers/network.ts';
import { expectOcpiError, ocpiData } from '../support/mothers/ocpi.ts';
import { aDriverToken, partnerPool, pushToken, type Partner } from '../support/mothers/partners.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const LOCATIONS = '/ocpi/cpo/2.2.1/locations';
const partners = partnerPool();
let cpo: TestServer;
/** A registered eMSP (DE/EMS) that pushed no tokens: it sees published locations only. */
let viewer: Partner;
let since: number;

beforeAll(async () => {
  since = Date.now();
  cpo = startTestServer();
  viewer = await partners.registered(cpo);
});
afterAll(async () => {
  await cpo.stop();
  partners.stopAll();
  removeDir(cpo.dir);
});

/** What we serve for an example: the same content under our identity; stamps are ours and compared apart. */
const served = (fixture: any) => withoutStamps({ ...asOurs(fixture), country_code: 'NL', party_id: 'DYN' });

async function listFor(partner: Partner) {
  const response = await cpo.ocpi('GET', `${LOCATIONS}?limit=100`, partner.token);
  const data = ocpiData(response) as any[];
  expect(response.headers.get('link')).toBeNull(); // everything fits one page in this file
  return { data, ids: data.map((l) => l.id), total: Number(response.headers.get('x-total-count')) };
}

/** The operator API, the OCPI location, and each OCPI EVSE and connector all serve the example. */
async function expectServedEverywhere(fixture: any, partner: Partner) {
  const id = encodeURIComponent(fixture.id);
  const api = await cpo.api('GET', `/api/v1/locations/${id}`);
  expect(api.status).toBe(200);
  expect(withoutStamps(api.body)).toEqual(served(fixture));
  expectFreshLocationStamps(api.body, since);

  const location = ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/${id}`, partner.token));
  expect(location).toEqual(api.body); // same content and the very same stamps
  for (const evse of fixture.evses) {
    const servedEvse = ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/${id}/${encodeURIComponent(evse.uid)}`, partner.token));
    expect(withoutStamps(servedEvse)).toEqual(withoutStamps(evse));
    expect(servedEvse).toEqual(location.evses.find((e: any) => e.uid === evse.uid));
    for (const connector of evse.connectors) {
      const path = `${LOCATIONS}/${id}/${encodeURIComponent(evse.uid)}/${encodeURIComponent(connector.id)}`;
      const servedConnector = ocpiData(await cpo.ocpi('GET', path, partner.token));
      expect(withoutStamps(servedConnector)).toEqual(withoutStamps(connector));
      expect(servedConnector).toEqual(servedEvse.connectors.find((c: any) => c.id === connector.id));
    }
  }
  return api.body;
}

async function expectHiddenFrom(fixture: any, partner: Partner) {
  const id = encodeURIComponent(fixture.id);
  expectOcpiError(await cpo.ocpi('GET', `${LOCATIONS}/${id}`, partner.token), 404, 2003);
  const evse = fixture.evses[0];
  expectOcpiError(await cpo.ocpi('GET', `${LOCATIONS}/${id}/${encodeURIComponent(evse.uid)}`, partner.token), 404, 2003);
  expectOcpiError(
    await cpo.ocpi('GET', `${LOCATIONS}/${id}/${encodeURIComponent(evse.uid)}/${encodeURIComponent(evse.connectors[0].id)}`, partner.token),
    404,
    2003,
  );
  expect((await listFor(partner)).ids).not.toContain(fixture.id);
}

describe('the official Location examples, stored through the operator API', () => {
  test('location_example: refused while its tariffs are unknown; once they exist, stored and served back as sent', async () => {
    const fixture = example('location_example.json');
    const early = await cpo.api('PUT', `/api/v1/locations/${fixture.id}`, asOurs(fixture));
    expect(early.status).toBe(400);
    expect(early.body.error).toBe('invalid_request');
    expect(early.body.message).toContain('tariff_ids');
    for (const id of ['11', '12', '13']) expect(early.body.message).toContain(id);
    expect((await cpo.api('GET', `/api/v1/locations/${fixture.id}`)).status).toBe(404);
    expectOcpiError(await cpo.ocpi('GET', `${LOCATIONS}/${fixture.id}`, viewer.token), 404, 2003);

    for (const id of ['11', '12', '13']) await putTariff(cpo, id, aTariff());
    const stored = await cpo.api('PUT', `/api/v1/locations/${fixture.id}`, asOurs(fixture));
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ country_code: 'NL', party_id: 'DYN', id: 'LOC1' });
    expect(withoutStamps(stored.body)).toEqual(served(fixture));
    // The example's own stamps (2015) are not ours to keep: we stamp what we store.
    expectFreshLocationStamps(stored.body, since);

    const api = await expectServedEverywhere(fixture, viewer);
    expect(api).toEqual(stored.body);
    expect((await listFor(viewer)).data.find((l) => l.id === fixture.id)).toEqual(api);
  });

  test.each(['location_example_parking_garage_opening_hours.json', 'location_example_uc2_destination_charger.json'])(
    '%s is stored and served back as sent',
    async (name) => {
      const fixture = example(name);
      const stored = await cpo.api('PUT', `/api/v1/locations/${fixture.id}`, asOurs(fixture));
      expect([200, 201]).toContain(stored.status);
      expect(withoutStamps(stored.body)).toEqual(served(fixture));
      const api = await expectServedEverywhere(fixture, viewer);
      expect((await listFor(viewer)).data.find((l) => l.id === fixture.id)).toEqual(api);
    },
  );

  test('uc3 replaces the published destination charger (same id): it disappears from OCPI, the operator still has it', async () => {
    const published = example('location_example_uc2_destination_charger.json');
    const unpublished = example('location_example_uc3_destination_charger_not_published.json');
    expect(unpublished.id).toBe(published.id);
    await putLocation(cpo, published.id, asOurs(published));
    const before = await listFor(viewer);
    expect(before.ids).toContain(published.id);

    const replaced = await cpo.api('PUT', `/api/v1/locations/${unpublished.id}`, asOurs(unpublished));
    expect(replaced.status).toBe(200);
    const api = await cpo.api('GET', `/api/v1/locations/${unpublished.id}`);
    // PUT is a full replace: uc3 has no parking_type, so neither has the stored location now.
    expect(withoutStamps(api.body)).toEqual(served(unpublished));
    expect(api.body.parking_type).toBeUndefined();
    expectFreshLocationStamps(api.body, since);

    await expectHiddenFrom(unpublished, viewer);
    const after = await listFor(viewer);
    expect(after.total).toBe(before.total - 1);
  });

  test.each(['location_example_uc4_limited_visibility.json', 'location_example_uc5_home_charge_point.json'])(
    '%s (publish=false) is stored as sent and hidden from a partner holding no matching token',
    async (name) => {
      const fixture = example(name);
      const stored = await cpo.api('PUT', `/api/v1/locations/${fixture.id}`, asOurs(fixture));
      expect([200, 201]).toContain(stored.status);
      expect(withoutStamps(stored.body)).toEqual(served(fixture));
      const api = await cpo.api('GET', `/api/v1/locations/${fixture.id}`);
      expect(api.body).toEqual(stored.body);
      expectFreshLocationStamps(api.body, since);
      await expectHiddenFrom(fixture, viewer);
    },
  );
});

describe('limited visibility: publish=false locations reach only partners holding a matching token', () => {
  const uc3 = example('location_example_uc3_destination_charger_not_published.json');
  const uc4 = example('location_example_uc4_limited_visibility.json');
  const uc5 = example('location_example_uc5_home_charge_point.json');

  beforeAll(async () => {
    for (const fixture of [uc3, uc4, uc5]) await putLocation(cpo, fixture.id, asOurs(fixture));
  });

  test('a partner holding the RFID token uid of an entry sees uc4 (by id, EVSE, connector, in the list and the count)', async () => {
    const holder = await partners.registered(cpo, { partyId: 'HLD' });
    const before = await listFor(holder);
    expect(before.ids).not.toContain(uc4.id);
    await pushToken(cpo, holder, aDriverToken(holder, { uid: '12345678905880', type: 'RFID' }));

    await expectServedEverywhere(uc4, holder);
    const seen = await listFor(holder);
    const publicView = await listFor(viewer);
    expect(new Set(seen.ids)).toEqual(new Set([...publicView.ids, uc4.id]));
    expect(seen.total).toBe(publicView.total + 1);
    expect(seen.total).toBe(seen.ids.length);
    // Nothing else opened up: not uc5 (another entry), not uc3 (no entries), and not for other partners.
    await expectHiddenFrom(uc5, holder);
    await expectHiddenFrom(uc3, holder);
    await expectHiddenFrom(uc4, viewer);
  });

  test('a partner holding a token with the visual_number and issuer of an entry sees uc5 only', async () => {
    const owner = await partners.registered(cpo, { countryCode: 'NL', partyId: 'VIS' });
    await pushToken(cpo, owner, aDriverToken(owner, { uid: 'HOME-0001', visual_number: '0123456-99', issuer: 'MoveMove' }));
    await expectServedEverywhere(uc5, owner);
    const seen = await listFor(owner);
    const publicView = await listFor(viewer);
    expect(new Set(seen.ids)).toEqual(new Set([...publicView.ids, uc5.id]));
    expect(seen.total).toBe(publicView.total + 1);
    await expectHiddenFrom(uc4, owner);
    await expectHiddenFrom(uc5, viewer);
  });

  test('a group_id entry opens the location to a partner holding a token of that group (compared case-insensitively)', async () => {
    const depot = { id: 'FLEET-DEPOT', evses: [anEvse('FLEET-DEPOT-E1')] };
    await putLocation(cpo, depot.id, aLocation({ publish: false, publish_allowed_to: [{ group_id: 'FLEET-42' }], evses: depot.evses }));
    const fleet = await partners.registered(cpo, { countryCode: 'NL', partyId: 'FLT' });
    await expectHiddenFrom(depot, fleet);
    await pushToken(cpo, fleet, aDriverToken(fleet, { uid: 'FLEET-CARD-1', group_id: 'fleet-42' }));
    expect(ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/FLEET-DEPOT`, fleet.token)).id).toBe('FLEET-DEPOT');
    expect((await listFor(fleet)).ids).toContain('FLEET-DEPOT');
    await expectHiddenFrom(depot, viewer);
  });

  test('tokens matching only some fields of an entry open nothing', async () => {
    const other = await partners.registered(cpo, { countryCode: 'NL', partyId: 'MIS' });
    // Right visual_number, wrong issuer; right uid, wrong type.
    await pushToken(cpo, other, aDriverToken(other, { uid: 'CARD-77', visual_number: '12345-67', issuer: 'Not NewMotion' }));
    await pushToken(cpo, other, aDriverToken(other, { uid: '12345678905880', type: 'APP_USER' }));
    for (const fixture of [uc3, uc4, uc5]) await expectHiddenFrom(fixture, other);
    const seen = await listFor(other);
    const publicView = await listFor(viewer);
    expect(seen.ids).toEqual(publicView.ids);
    expect(seen.total).toBe(publicView.total);
  });
});

describe('opening hours examples embedded in a location', () => {
  const hours: [string, unknown][] = [
    ['location_hours_247_open_exception_closing.json', example('location_hours_247_open_exception_closing.json')],
    ['location_hours_opening_hours_with_exceptional_closing.json', example('location_hours_opening_hours_with_exceptional_closing.json')],
    ['location_hours_opening_hours_with_exceptional_opening.json', example('location_hours_opening_hours_with_exceptional_opening.json')],
    ['location_regularhours_example.json', example('location_regularhours_example.json').opening_times],
  ];

  test.each(hours.map(([name, value], i) => [name, value, i] as const))('%s is served back as opening_times', async (_name, openingTimes, i) => {
    const id = `HOURS-${i}`;
    const stored = await cpo.api('PUT', `/api/v1/locations/${id}`, aLocation({ opening_times: openingTimes, evses: [anEvse(`HOURS-${i}-E1`)] }));
    expect(stored.status).toBe(201);
    expect(stored.body.opening_times).toEqual(openingTimes);
    const location = ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/${id}`, viewer.token));
    expect(location.opening_times).toEqual(openingTimes);
    expect(location).toEqual(stored.body);
  });
});

describe('OCPP bindings are operator data', () => {
  test('the operator API shows an EVSE\'s ocpp binding; OCPI location, EVSE and list never do', async () => {
    const body = aLocation({
      evses: [anEvse('BOUND-1', { ocpp: { charge_point_id: 'CP-BOUND', evse_id: 1 } }), anEvse('UNBOUND-2')],
    });
    const stored = await cpo.api('PUT', '/api/v1/locations/BOUND-SITE', body);
    expect(stored.status).toBe(201);
    expect(stored.body.evses[0].ocpp).toEqual({ charge_point_id: 'CP-BOUND', evse_id: 1 });
    expect(stored.body.evses[1].ocpp).toBeUndefined();
    const api = await cpo.api('GET', '/api/v1/locations/BOUND-SITE');
    expect(api.body).toEqual(stored.body);
    const all = await cpo.api('GET', '/api/v1/locations?limit=1000');
    expect(all.body.find((l: any) => l.id === 'BOUND-SITE')).toEqual(stored.body);

    const location = ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/BOUND-SITE`, viewer.token));
    expect(JSON.stringify(location)).not.toContain('ocpp');
    expect(JSON.stringify(location)).not.toContain('CP-BOUND');
    expect(location).toEqual(withoutBindings(stored.body));
    const evse = ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/BOUND-SITE/BOUND-1`, viewer.token));
    expect(evse).toEqual(withoutBindings(stored.body.evses[0]));
    expect(Object.keys(evse)).not.toContain('ocpp');
    const list = await listFor(viewer);
    expect(list.ids).toContain('BOUND-SITE');
    expect(JSON.stringify(list.data)).not.toContain('ocpp');
    expect(JSON.stringify(list.data)).not.toContain('CP-BOUND');
  });
});

describe('unknown objects on OCPI', () => {
  beforeAll(async () => {
    await putLocation(cpo, 'Known-Site', aLocation({ evses: [anEvse('Known-Evse', { connectors: [aConnector('C1')] })] }));
  });

  test('an unknown location, EVSE or connector is HTTP 404 with OCPI 2003 and the full envelope', async () => {
    expectOcpiError(await cpo.ocpi('GET', `${LOCATIONS}/NO-SUCH-SITE`, viewer.token), 404, 2003);
    expectOcpiError(await cpo.ocpi('GET', `${LOCATIONS}/NO-SUCH-SITE/Known-Evse`, viewer.token), 404, 2003);
    expectOcpiError(await cpo.ocpi('GET', `${LOCATIONS}/Known-Site/NO-SUCH-EVSE`, viewer.token), 404, 2003);
    expectOcpiError(await cpo.ocpi('GET', `${LOCATIONS}/Known-Site/Known-Evse/NO-SUCH-CONNECTOR`, viewer.token), 404, 2003);
    expectOcpiError(await cpo.ocpi('GET', `${LOCATIONS}/Known-Site/NO-SUCH-EVSE/C1`, viewer.token), 404, 2003);
  });

  test('ids are CiStrings: a location, EVSE and connector are found whatever the case', async () => {
    const connector = ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/known-site/KNOWN-EVSE/c1`, viewer.token));
    expect(connector.id).toBe('C1');
    expect(ocpiData(await cpo.ocpi('GET', `${LOCATIONS}/KNOWN-SITE`, viewer.token)).id).toBe('Known-Site');
  });

  test('without a registered partner\'s token there is nothing to read', async () => {
    const response = await cpo.ocpi('GET', `${LOCATIONS}/Known-Site`, 'not-a-token');
    expectOcpiError(response, 401, 2000);
  });
});
