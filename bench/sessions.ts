/**
 * Per-MeterValues cost against a session's length:
 * `bun run bench:sessions [--lengths 10,1000,10000] [--measure 200] [--patch-interval 15]`.
 *
 * The real server (in this process, SQLite file in a temp directory) with a registered eMSP (test/support/fake-emsp.ts,
 * so every change is also a push to a partner) and one OCPP 1.6 station (ocpp-rpc). For each length L a session is
 * started and filled with L readings (MeterValues of 100 readings each, one second apart, a TIME + ENERGY tariff
 * with a kWh restriction); then `--measure` MeterValues of one reading each are timed one after another (the
 * station waits for each answer), then the StopTransaction that prices the whole history for the CDR. Printed:
 * milliseconds per MeterValues (mean, p50, p95), the Session pushes the eMSP received while they ran, and the stop.
 * A short session runs first, unreported, so the first figures do not include warming up. `--patch-interval` is
 * SESSION_PATCH_INTERVAL_S (0: a push per MeterValues). Figures are printed, never asserted.
 */
import { parseArgs } from 'node:util';
import { eventually } from '../test/support/eventually.ts';
import { registerInvited, startFakeEmsp } from '../test/support/fake-emsp.ts';
import { removeDir, startTestServer } from '../test/support/server.ts';
import { connectStation } from '../test/support/stations.ts';

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { lengths: { type: 'string', default: '10,1000,10000' }, measure: { type: 'string', default: '200' }, 'patch-interval': { type: 'string', default: '15' } },
});
const LENGTHS = values.lengths.split(',').map((v) => positive(v, '--lengths'));
const MEASURED = positive(values.measure, '--measure');
const PATCH_INTERVAL = values['patch-interval'];
const BATCH = 100;
const ID_TAG = 'BENCH001';

const server = startTestServer({ env: { SESSION_PATCH_INTERVAL_S: PATCH_INTERVAL } });
const emsp = startFakeEmsp();
try {
  const token = (await registerInvited(server, emsp)).cpo.token;
  await ok(server.api('PUT', '/api/v1/tariffs/T-BENCH', {
    currency: 'EUR',
    elements: [
      { price_components: [{ type: 'ENERGY', price: 0.3, vat: 10, step_size: 1 }, { type: 'TIME', price: 1.2, vat: 10, step_size: 60 }], restrictions: { max_kwh: 50 } },
      { price_components: [{ type: 'ENERGY', price: 0.2, vat: 10, step_size: 1 }, { type: 'TIME', price: 1.2, vat: 10, step_size: 60 }] },
    ],
  }));
  await ok(server.api('PUT', '/api/v1/locations/LOC-BENCH', {
    publish: true, address: 'Benchweg 1', city: 'Utrecht', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.09070', longitude: '5.12140' },
    evses: [{ uid: 'BENCH-1', status: 'AVAILABLE', ocpp: { charge_point_id: 'CP-BENCH', evse_id: 1 },
      connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-BENCH'] }] }],
  }));
  const rfid = { country_code: 'DE', party_id: 'EMS', uid: ID_TAG, type: 'RFID', contract_id: `DE-EMS-C${ID_TAG}`, issuer: 'Fake eMSP', valid: true, whitelist: 'ALWAYS', last_updated: '2026-01-01T00:00:00Z' };
  await ok(server.ocpi('PUT', `/ocpi/cpo/2.2.1/tokens/DE/EMS/${ID_TAG}`, token, rfid));
  const { client } = await connectStation(server, 'CP-BENCH');
  await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Bench' });

  /** Fills a session with `length` readings, times `measured` more one by one, then its stop. */
  const run = async (length: number, measured: number) => {
    // Readings one second apart, ending before now: the running Session is priced up to now.
    const t0 = Math.floor(Date.now() / 1000) * 1000 - (length + measured + 60) * 1000;
    const reading = (i: number) => ({ timestamp: new Date(t0 + (i + 1) * 1000).toISOString(), sampledValue: [{ value: String(i * 7) }] });
    const { transactionId } = (await client.call('StartTransaction', { connectorId: 1, idTag: ID_TAG, meterStart: 0, timestamp: new Date(t0).toISOString() })) as { transactionId: number };
    for (let i = 0; i < length; i += BATCH) {
      const meterValue = Array.from({ length: Math.min(BATCH, length - i) }, (_, k) => reading(i + k));
      await client.call('MeterValues', { connectorId: 1, transactionId, meterValue });
    }
    const pushesBefore = sessionPushes();
    const times: number[] = [];
    for (let i = length; i < length + measured; i++) {
      const started = performance.now();
      await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [reading(i)] });
      times.push(performance.now() - started);
    }
    const pushes = sessionPushes() - pushesBefore;
    const stopStarted = performance.now();
    await client.call('StopTransaction', { transactionId, meterStop: (length + measured) * 7, timestamp: new Date(t0 + (length + measured + 1) * 1000).toISOString() });
    const stopMs = performance.now() - stopStarted;
    await eventually(() => {
      if (!emsp.store.cdrs.some((c) => c.total_energy === ((length + measured) * 7) / 1000)) throw new Error('no CDR yet');
    }, 60_000);
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    return `${String(length).padStart(6)} ${fixed(mean)} ${fixed(at(0.5))} ${fixed(at(0.95))}   ${String(pushes).padStart(14)}   ${fixed(stopMs, 9)}`;
  };

  await run(10, 50);
  console.log(`MeterValues cost by session length (${MEASURED} timed MeterValues of one reading after the fill; ms per call; SESSION_PATCH_INTERVAL_S=${PATCH_INTERVAL})`);
  console.log('length    mean     p50     p95   Session pushes   stop (ms)');
  for (const length of LENGTHS) console.log(await run(length, MEASURED));
  await client.close();
} finally {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
}

function sessionPushes() {
  return emsp.received.filter((r) => r.path.includes('/sessions/')).length;
}

async function ok(call: Promise<{ status: number; body: unknown }>) {
  const { status, body } = await call;
  if (status >= 300) throw new Error(`setup failed: ${status} ${JSON.stringify(body)}`);
}

function fixed(ms: number, width = 7) {
  return ms.toFixed(2).padStart(width);
}

function positive(value: string, flag: string) {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`${flag} takes positive integers (got "${value}")`);
    process.exit(2);
  }
  return n;
}
