/**
 * A roaming hub with two eMSPs behind it (DE*ABC and DE*XYZ), registered with the test server over the real
 * credentials handshake, and a small network whose sessions it hears about. Our test CPO is NL/DYN.
 */
import { expect } from 'bun:test';
import { eventually } from '../eventually.ts';
import { startFakeHub, routedFrom, type HubParty } from '../fake-hub.ts';
import type { TestServer } from '../server.ts';
import { STATION_PASSWORD, type Station } from '../stations.ts';
import { aConnector, aLocation, aTariff, anEvse, putLocation, putTariff } from './network.ts';

export const US = { country_code: 'NL', party_id: 'DYN' };
export const HUB = { country_code: 'BE', party_id: 'HUB' };
export const ABC = { country_code: 'DE', party_id: 'ABC' };
export const XYZ = { country_code: 'DE', party_id: 'XYZ' };

/** A driver token of a party behind the hub. */
export function card(party: HubParty, uid: string, more: Record<string, unknown> = {}) {
  return { ...party, uid, type: 'RFID', contract_id: `${party.country_code}${party.party_id}C${uid}`.slice(0, 36), issuer: `eMSP ${party.party_id}`, valid: true, whitelist: 'ALLOWED', last_updated: '2026-01-01T00:00:00Z', ...more };
}

/**
 * Tariff T-HUB and location LOC-HUB (EVSEs HUB-1/HUB-2 on station CP-HUB, HUB-OFF on the registered but never
 * connected CP-HUB-OFF), then the hub — holding cards ABC-1 and XYZ-1 — registers through an invitation. Resolves
 * once its token list and ClientInfo list are pulled.
 */
export async function hubWithNetwork(server: TestServer) {
  await putTariff(server, 'T-HUB', aTariff());
  const remote = { capabilities: ['REMOTE_START_STOP_CAPABLE'], connectors: [aConnector('1', { tariff_ids: ['T-HUB'] })] };
  await putLocation(server, 'LOC-HUB', aLocation({
    evses: [
      anEvse('HUB-1', { ...remote, ocpp: { charge_point_id: 'CP-HUB', evse_id: 1 } }),
      anEvse('HUB-2', { ...remote, ocpp: { charge_point_id: 'CP-HUB', evse_id: 2 } }),
      anEvse('HUB-OFF', { ...remote, ocpp: { charge_point_id: 'CP-HUB-OFF', evse_id: 1 } }),
    ],
  }));
  await server.api('PUT', '/api/v1/charge-points/CP-HUB-OFF', { password: STATION_PASSWORD });
  const hub = startFakeHub({ countryCode: HUB.country_code, partyId: HUB.party_id, parties: [ABC, XYZ] });
  hub.tokens.push(card(ABC, 'ABC-1'), card(XYZ, 'XYZ-1'));
  const invitation = await server.api('POST', '/api/v1/ocpi/invitations', { name: 'Fake Hub' });
  expect(invitation.status).toBe(201);
  const { cpo } = await hub.registerWith(invitation.body.versions_url, invitation.body.token);
  const partnerId: string = invitation.body.partner_id;
  await eventually(async () => {
    for (const [party, uid] of [[ABC, 'ABC-1'], [XYZ, 'XYZ-1']] as const)
      expect((await server.ocpi('GET', `/ocpi/cpo/2.2.1/tokens/${party.country_code}/${party.party_id}/${uid}`, cpo.token, undefined, { headers: routedFrom(party) })).status).toBe(200);
    const parties = (await server.api('GET', `/api/v1/ocpi/partners/${partnerId}`)).body.parties;
    expect(parties).toHaveLength(3);
  });
  return { hub, token: cpo.token as string, partnerId };
}

/** A card's whole session on a 1.6 station: authorized, started, one meter value, stopped (3 kWh over 20 minutes). */
export async function chargeCard(client: Station['client'], uid: string, connectorId: number, startMs: number) {
  const iso = (ms: number) => new Date(ms).toISOString();
  expect(((await client.call('Authorize', { idTag: uid })) as { idTagInfo: { status: string } }).idTagInfo.status).toBe('Accepted');
  const { transactionId } = (await client.call('StartTransaction', { connectorId, idTag: uid, meterStart: 0, timestamp: iso(startMs) })) as { transactionId: number };
  await client.call('MeterValues', { connectorId, transactionId, meterValue: [{ timestamp: iso(startMs + 600_000), sampledValue: [{ value: '1500' }] }] });
  await client.call('StopTransaction', { transactionId, meterStop: 3000, timestamp: iso(startMs + 1_200_000) });
}
