/**
 * Issue 10, property-based: whatever the timing and delivery of a station's meter data, the energy and the money
 * are exact. fast-check generates OCPP 1.6 and 2.0.1 transaction traffic (see test/support/transaction-traffic.ts),
 * a third-party client (ocpp-rpc, strict) sends it to the real server, and an eMSP reads the results over OCPI.
 *
 * Replay a failure with the seed printed at the start: `PROPERTY_SEED=<seed> bun test test/scenarios/meter-timing.property`.
 * PROPERTY_RUNS sets the runs per OCPP version (default 60), PROPERTY_TIME_LIMIT_MS the time one property may take
 * (runs and shrinking; default 40 s).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { eventually } from '../support/eventually.ts';
import { registerInvited, startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation, type Station } from '../support/stations.ts';
import { play16, play201, stamp, trafficArb, type Traffic } from '../support/transaction-traffic.ts';

const seed = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : Math.floor(Math.random() * 2 ** 31);
const numRuns = Number(process.env.PROPERTY_RUNS ?? 60);
const timeLimitMs = Number(process.env.PROPERTY_TIME_LIMIT_MS ?? 40_000);
console.log(`meter-timing properties: seed ${seed}, ${numRuns} runs per OCPP version — replay with PROPERTY_SEED=${seed} bun test test/scenarios/meter-timing.property`);

const ID_TAG = 'MTPROP01';
/** Tariff A: one element. Tariff B: a cheaper ENERGY price from 7.5 kWh on, so charging periods split there. */
const TIME = { type: 'TIME', price: 1.2, vat: 10, step_size: 60 };
const TARIFFS = {
  A: { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 10, step_size: 1 }, TIME] }] },
  B: {
    currency: 'EUR',
    elements: [
      { price_components: [{ type: 'ENERGY', price: 0.3, vat: 10, step_size: 1 }, TIME], restrictions: { max_kwh: 7.5 } },
      { price_components: [{ type: 'ENERGY', price: 0.2, vat: 10, step_size: 1 }, TIME] },
    ],
  },
} as const;
type TariffName = keyof typeof TARIFFS;
/** OCPP 1.6 connector / 2.0.1 EVSE 1 is priced by tariff A, 2 by tariff B. */
const EVSE_OF: Record<TariffName, number> = { A: 1, B: 2 };

let server: TestServer;
let emsp: FakeEmsp;
let token: string;
const stations: Record<'ocpp1.6' | 'ocpp2.0.1', Station> = {} as never;

beforeAll(async () => {
  server = startTestServer();
  emsp = startFakeEmsp();
  token = (await registerInvited(server, emsp)).cpo.token;
  for (const name of ['A', 'B'] as const) expect((await server.api('PUT', `/api/v1/tariffs/MT-${name}`, TARIFFS[name])).status).toBe(201);
  const connector = (tariff: TariffName) => ({
    id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: [`MT-${tariff}`],
  });
  const evses = (['MT16', 'MT201'] as const).flatMap((cp) =>
    (['A', 'B'] as const).map((tariff) => ({ uid: `${cp}-${tariff}`, status: 'AVAILABLE', connectors: [connector(tariff)], ocpp: { charge_point_id: cp, evse_id: EVSE_OF[tariff] } })),
  );
  const location = await server.api('PUT', '/api/v1/locations/LOC-MT', {
    publish: true, address: 'Meterweg 1', city: 'Arnhem', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '51.98510', longitude: '5.89870' }, evses,
  });
  expect(location.status).toBe(201);
  const rfid = { country_code: 'DE', party_id: 'EMS', uid: ID_TAG, type: 'RFID', contract_id: `DE-EMS-C${ID_TAG}`, issuer: 'Fake eMSP', valid: true, whitelist: 'ALWAYS', last_updated: '2026-01-01T00:00:00Z' };
  expect((await server.ocpi('PUT', `/ocpi/cpo/2.2.1/tokens/DE/EMS/${ID_TAG}`, token, rfid)).status).toBe(201);
  stations['ocpp1.6'] = await connectStation(server, 'MT16');
  await stations['ocpp1.6'].client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22' });
  stations['ocpp2.0.1'] = await connectStation(server, 'MT201', { protocol: 'ocpp2.0.1' });
  await stations['ocpp2.0.1'].client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'DC' } });
  // Unawaited calls really overlap on the wire (ocpp-rpc sends one call at a time by default).
  for (const { client } of Object.values(stations)) client.reconfigure({ callConcurrency: 16 } as unknown as Parameters<typeof client.reconfigure>[0]);
});
afterAll(async () => {
  for (const station of Object.values(stations)) await station.client.close();
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

const DAY = 86_400_000;
/**
 * Every run (shrinking included) charges on a day of its own, so its Session is the only one in its date window.
 * The days lie ahead of the server's clock (a station clock running ahead is fine for us): a running Session is
 * priced up to its latest reading then, not up to a "now" months later, which would cost a period cut per midnight.
 */
const FIRST_DAY = Date.parse('2030-01-01T00:00:00Z');
let day = 0;

/** Exact OCPI numbers: integers of 1e-4 (kWh, EUR). */
function units(value: unknown, what: string): number {
  if (typeof value !== 'number') throw new Error(`${what}: not a number: ${JSON.stringify(value)}`);
  const scaled = value * 10_000;
  const rounded = Math.round(scaled);
  if (Math.abs(scaled - rounded) > 1e-6) throw new Error(`${what}: more than 4 decimals: ${value}`);
  return rounded;
}
/** `numerator / 10` rounded half up (OCPI numbers carry 4 decimals, rounded half-up). */
const halfUpTenth = (numerator: number) => Math.floor((numerator + 5) / 10);
function check(holds: boolean, message: string, details: unknown) {
  if (!holds) throw new Error(`${message}\n${JSON.stringify(details, null, 1)}`);
}

async function runTraffic(version: 'ocpp1.6' | 'ocpp2.0.1', traffic: Traffic, tariff: TariffName) {
  const station = stations[version];
  const windowStart = FIRST_DAY + day++ * DAY;
  const t0 = windowStart + 9 * 3_600_000 + traffic.startFracMs;
  const window = `date_from=${stamp(windowStart, true)}&date_to=${stamp(windowStart + DAY, true)}&limit=100`;
  const cdrsFrom = stamp(Math.floor(Date.now() / 1000) * 1000 - 1000, true);
  const sessionsOfRun = async () => {
    const response = await server.ocpi('GET', `/ocpi/cpo/2.2.1/sessions?${window}`, token);
    if (response.body?.status_code !== 1000) throw new Error(`GET sessions: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.data as any[];
  };
  const seen: { step: string; kwh: unknown; sessions: number }[] = [];
  const observe = async (step: string) => {
    const sessions = await sessionsOfRun();
    seen.push({ step, kwh: sessions[0]?.kwh, sessions: sessions.length });
  };
  if (version === 'ocpp1.6') await play16(station.client, traffic, { t0, connectorId: EVSE_OF[tariff], idTag: ID_TAG }, observe);
  else await play201(station.client, traffic, { t0, evseId: EVSE_OF[tariff], idTag: ID_TAG, transactionId: `MT-${seed}-${day}` }, observe);
  expect(station.strictFailures).toEqual([]);

  // The Session: one per run, completed; its kWh never went down while it ran.
  const sessions = await sessionsOfRun();
  check(sessions.length === 1 && seen.every((s) => s.sessions === 1), 'exactly one Session for the transaction', { sessions, seen });
  const session = sessions[0];
  check(session.status === 'COMPLETED', 'the Session is COMPLETED', session);
  const kwhSeen = seen.map((s, i) => units(s.kwh, `Session kwh after ${s.step} (#${i})`));
  check(kwhSeen.every((kwh, i) => i === 0 || kwh >= kwhSeen[i - 1]!), "the Session's kwh never goes down", seen);

  // The CDR: exactly one, with the register difference as its energy, split exactly over its periods.
  // Runs are quick enough for more than a page of CDRs to share the window: every page is read.
  const cdrsSince = async () => {
    const all: any[] = [];
    for (let total = Infinity; all.length < total; ) {
      const page = await server.ocpi('GET', `/ocpi/cpo/2.2.1/cdrs?date_from=${cdrsFrom}&offset=${all.length}&limit=100`, token);
      total = Number(page.headers.get('x-total-count'));
      if (page.body.data.length === 0) break;
      all.push(...page.body.data);
    }
    return all;
  };
  const cdrs = await eventually(async () => {
    const found = (await cdrsSince()).filter((c) => c.session_id === session.id);
    expect(found.length).toBeGreaterThan(0);
    return found;
  }, 2000);
  check(cdrs.length === 1, 'exactly one CDR for the Session', cdrs);
  const cdr = cdrs[0];
  const energyWh = traffic.stopWh - traffic.startWh;
  const energy = units(cdr.total_energy, 'CDR total_energy');
  const { tariffs: _, cdr_location: __, cdr_token: ___, ...figures } = cdr;
  const facts = { expected_kwh: energyWh / 1000, total_energy: cdr.total_energy, session_kwh: session.kwh, kwh_seen: seen, cdr: figures };
  check(energy === energyWh * 10, 'CDR total_energy = (stop register − start register) / 1000', facts);
  const periodEnergies = (cdr.charging_periods as any[]).map((p, i) =>
    (p.dimensions as any[]).filter((d) => d.type === 'ENERGY').reduce((sum, d) => sum + units(d.volume, `charging_periods[${i}] ENERGY`), 0),
  );
  check(periodEnergies.reduce((a, b) => a + b, 0) === energy, 'the ENERGY volumes of the charging periods add up to total_energy', facts);
  check(units(session.kwh, 'Session kwh') === energy, "the final Session's kwh = the CDR's total_energy", facts);

  // The money: TIME 1.20/h in steps of 60 s (0.02 a step) over the whole session, ENERGY by element; VAT 10 %.
  const stepCost = (ms: number) => Math.ceil(ms / 60_000) * 200;
  const shownMs = Date.parse(cdr.end_date_time) - Date.parse(cdr.start_date_time);
  const timeCost = units(cdr.total_time_cost?.excl_vat, 'total_time_cost.excl_vat');
  check([stepCost(traffic.stopOffsetMs), stepCost(shownMs)].includes(timeCost), 'total_time_cost = TIME of the session, rounded up to 60 s, × 1.20/h', facts);
  const energyCost = units(cdr.total_energy_cost?.excl_vat, 'total_energy_cost.excl_vat');
  // Tariff B: the first 7.5 kWh at 0.30, the rest at 0.20 — however fast the register crosses 7.5 kWh.
  const first = tariff === 'A' ? energy : Math.min(energy, 75_000);
  const expectedEnergyCost = halfUpTenth(first * 3 + (energy - first) * 2);
  check(energyCost === expectedEnergyCost, `total_energy_cost = the tariff's ENERGY price of the energy (tariff ${tariff})`, { ...facts, expectedEnergyCost });
  const excl = units(cdr.total_cost.excl_vat, 'total_cost.excl_vat');
  check(excl === energyCost + timeCost, 'total_cost.excl_vat = total_energy_cost + total_time_cost', facts);
  check(units(cdr.total_cost.incl_vat, 'total_cost.incl_vat') === halfUpTenth(excl * 11), 'total_cost.incl_vat = excl × 1.10', facts);
  check(JSON.stringify(session.total_cost) === JSON.stringify(cdr.total_cost), "the final Session's total_cost = the CDR's", facts);
}

function assertProperty(version: 'ocpp1.6' | 'ocpp2.0.1', arb: fc.Arbitrary<Traffic>, runs: number) {
  console.log(`${version}: fast-check seed ${seed}, ${runs} runs`);
  return fc.assert(
    fc.asyncProperty(arb, fc.constantFrom<TariffName>('A', 'B'), (traffic, tariff) => runTraffic(version, traffic, tariff)),
    { numRuns: runs, seed, verbose: true, interruptAfterTimeLimit: timeLimitMs },
  );
}

describe('energy and money are exact whatever the timing of meter data (issue 10)', () => {
  for (const version of ['ocpp1.6', 'ocpp2.0.1'] as const) {
    test(`${version}: generated traffic with colliding timestamps, bursts, replays, retransmissions, batches`, () => assertProperty(version, trafficArb(), numRuns), timeLimitMs + 20_000);
  }
  // The harness on its own: timestamps more than 1 s apart, which the whole-second storage always handled.
  test('control: the same traffic with every timestamp in a second of its own, both versions', async () => {
    const runs = Math.max(1, Math.round(numRuns / 4));
    await assertProperty('ocpp1.6', trafficArb({ spread: true }), runs);
    await assertProperty('ocpp2.0.1', trafficArb({ spread: true }), runs);
  }, timeLimitMs * 2 + 20_000);
});
