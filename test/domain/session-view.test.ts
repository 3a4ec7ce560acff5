import { expect, test } from 'bun:test';
import { renderSession, type SessionFacts } from '../../src/domain/cdr/session-view.ts';

const facts = (startAt: string, samples: SessionFacts['samples']): SessionFacts => ({
  id: 'S1',
  countryCode: 'NL',
  partyId: 'DYN',
  startAt,
  samples,
  token: { country_code: 'DE', party_id: 'EMS', uid: 'U1', type: 'RFID', contract_id: 'C1' },
  authMethod: 'WHITELIST',
  lastUpdated: startAt,
  place: {
    locationId: 'L1',
    evseUid: 'E1',
    connectorId: '1',
    timeZone: 'Europe/Amsterdam',
    currency: 'EUR',
    tariff: { country_code: 'NL', party_id: 'DYN', id: 'T', currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, step_size: 1 }] }], last_updated: '2026-01-01T00:00:00Z' },
    cdrLocation: { id: 'L1', address: 'a', city: 'c', country: 'NLD', coordinates: { latitude: '52.00000', longitude: '4.00000' }, evse_uid: 'E1', evse_id: 'E1', connector_id: '1', connector_standard: 'IEC_62196_T2', connector_format: 'SOCKET', connector_power_type: 'AC_3_PHASE' },
  },
});

test('a station clock running ahead of ours still gives a priced running session (up to its latest reading)', () => {
  const ahead = facts('2026-11-25T12:00:00Z', [
    { at: '2026-11-25T12:00:00Z', energy_kwh: '0', charging: true },
    { at: '2026-11-25T12:30:00Z', energy_kwh: '4', charging: true },
  ]);
  // Our clock says 11:00 — an hour behind the station.
  const session = renderSession(ahead, 'ACTIVE', '2026-11-25T11:00:00Z')!;
  // 4 kWh × 0.25 = 1.00 (no VAT component)
  expect(session).toMatchObject({ kwh: 4, total_cost: { excl_vat: 1 } });
});
