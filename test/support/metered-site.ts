/**
 * One charging site for session scenarios on a ManualClock: a tariff (0.30/kWh + 1.20/h, 10 % VAT), a location with
 * one EVSE bound to an OCPP 1.6 station, a registered eMSP whose RFID card may charge there, and helpers to run a
 * transaction minute by minute and read what the eMSP received.
 */
import { eventually } from './eventually.ts';
import { startFakeEmsp, type FakeEmsp } from './fake-emsp.ts';
import type { ManualClock } from './manual-clock.ts';
import { aConnector, aLocation, anEvse, aTariff, putLocation, putTariff } from './mothers/network.ts';
import type { TestServer } from './server.ts';
import { connectStation, type Station } from './stations.ts';

const ID_TAG = 'METERED1';
const TARIFF = aTariff({ elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 10, step_size: 1 }, { type: 'TIME', price: 1.2, vat: 10, step_size: 1 }] }] });

export interface MeteredSite {
  emsp: FakeEmsp;
  partnerId: string;
  station: Station;
}

export async function meteredSite(server: TestServer, chargePointId: string): Promise<MeteredSite> {
  const emsp = startFakeEmsp();
  const invitation = (await server.api('POST', '/api/v1/ocpi/invitations')).body;
  const { cpo } = await emsp.registerWith(invitation.versions_url, invitation.token);
  await putTariff(server, 'T-METERED', TARIFF);
  await putLocation(server, 'LOC-METERED', aLocation({ evses: [anEvse('METERED-1', { connectors: [aConnector('1', { tariff_ids: ['T-METERED'] })], ocpp: { charge_point_id: chargePointId, evse_id: 1 } })] }));
  const rfid = { country_code: 'DE', party_id: 'EMS', uid: ID_TAG, type: 'RFID', contract_id: `DE-EMS-C${ID_TAG}`, issuer: 'Fake eMSP', valid: true, whitelist: 'ALWAYS', last_updated: '2026-01-01T00:00:00Z' };
  const pushed = await server.ocpi('PUT', `/ocpi/cpo/2.2.1/tokens/DE/EMS/${ID_TAG}`, cpo.token, rfid);
  if (pushed.status !== 201) throw new Error(`token PUT: ${pushed.status} ${JSON.stringify(pushed.body)}`);
  const station = await connectStation(server, chargePointId);
  await station.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  return { emsp, partnerId: invitation.partner_id, station };
}

/** A transaction on connector 1 started now on the clock, with register readings the test sends one by one. */
export async function startCharging(site: MeteredSite, clock: ManualClock) {
  const t0 = clock.now().getTime();
  const { transactionId } = (await site.station.client.call('StartTransaction', { connectorId: 1, idTag: ID_TAG, meterStart: 0, timestamp: new Date(t0).toISOString() })) as { transactionId: number };
  const call = (action: string, payload: object) => site.station.client.call(action, { transactionId, ...payload });
  return {
    transactionId,
    /** A reading of `wh` taken now on the clock. */
    meter: (wh: number) => call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: clock.now().toISOString(), sampledValue: [{ value: String(wh) }] }] }),
    stop: (wh: number) => call('StopTransaction', { meterStop: wh, timestamp: clock.now().toISOString(), reason: 'Local' }),
  };
}

/** The pushes of one Session the eMSP received (PUT and PATCH), in order. */
export function sessionPushes(emsp: FakeEmsp, sessionId: string) {
  return emsp.received.filter((r) => r.path.endsWith(`/sessions/NL/DYN/${sessionId}`)).map((r) => ({ method: r.method, body: r.body as any }));
}

/** The id of the `n`th Session the eMSP was told of (from 1), once the eMSP received its PUT. */
export function nthSession(emsp: FakeEmsp, n: number): Promise<string> {
  return eventually(() => {
    const ids = [...new Set(emsp.received.filter((r) => r.method === 'PUT' && r.path.includes('/sessions/')).map((r) => (r.body as { id: string }).id))];
    if (ids.length < n) throw new Error(`${ids.length} Sessions so far`);
    return ids[n - 1]!;
  });
}

/**
 * Waits until `count` pushes of the session were delivered and recorded so (the next PATCH's time counts from
 * then); returns what the eMSP received of the session.
 */
export async function pushesDelivered(server: TestServer, site: MeteredSite, sessionId: string, count: number) {
  await eventually(async () => {
    const delivered = (await sessionDeliveries(server, site.partnerId, sessionId)).filter((d) => d.state === 'delivered');
    if (delivered.length < count) throw new Error(`${delivered.length} of ${count} pushes delivered so far`);
  });
  return sessionPushes(site.emsp, sessionId);
}

/** The partner's deliveries of one session, oldest first, as the operator API lists them. */
export async function sessionDeliveries(server: TestServer, partnerId: string, sessionId: string) {
  const rows = (await server.api('GET', `/api/v1/ocpi/partners/${partnerId}/deliveries?state=pending,failed,delivered&limit=1000`)).body as any[];
  return rows.filter((d) => d.object === `session:${sessionId.toUpperCase()}`).reverse();
}
