/**
 * What one charge-point step costs, without sockets: `bun run bench:step [--stations 2000] [--rounds 30]`.
 *
 * The real composition (createApp, SQLite file in a temp directory, the protocol trace off) with N stations
 * registered, connected and booted through the charge points' own API; then each round reports a status change for
 * every station (Available ↔ Preparing, as bench:ocpp's stations do), 400 per event-loop turn so that each turn is a
 * group commit as on a busy node. Printed: CPU and wall time per status step (the actor's transition, its snapshot
 * saved in the batch, the commit's share), after three rounds unmeasured. It isolates the actor runtime's share of
 * a StatusNotification for comparisons between versions; figures are printed, never asserted.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../src/app.ts';
import { intArg } from './support/args.ts';
import { benchConfig } from './support/bench-config.ts';
import { tempDirRemovedOnExit } from './support/child-server.ts';

const { values } = parseArgs({ args: Bun.argv.slice(2), options: { stations: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '30' } } });
const STATIONS = intArg(values.stations, 1, 100_000, '--stations');
const ROUNDS = intArg(values.rounds, 1, 10_000, '--rounds');
const PER_TURN = 400;

const dir = mkdtempSync(join(tmpdir(), 'dynamo-step-'));
tempDirRemovedOnExit(dir);
process.env.TRACE = 'off';
const errors: string[] = [];
const logger = { info() {}, warn() {}, error: (message: string) => void errors.push(message) };
const app = createApp(benchConfig(dir, 'bench-admin-key-0123456789abcdef'), { logger });
const ids = Array.from({ length: STATIONS }, (_, i) => `STEP-${i}`);
const turnEnded = () => new Promise((resolve) => setImmediate(resolve));

for (const id of ids) app.storage.chargePoints.put(id, 'not-a-real-hash', new Date().toISOString());
for (const id of ids) app.chargePoints.connected(id, 'ocpp1.6');
await turnEnded();
for (const id of ids) app.chargePoints.booted(id, { vendor: 'Bench', model: 'Step' });
await turnEnded();

let available = false;
async function round() {
  available = !available;
  for (let i = 0; i < STATIONS; i += PER_TURN) {
    for (const id of ids.slice(i, i + PER_TURN)) app.chargePoints.connectorStatus(id, 1, available ? 'Available' : 'Preparing', undefined);
    await turnEnded();
  }
}
for (let r = 0; r < 3; r++) await round();
Bun.gc(true);
const cpu0 = process.cpuUsage();
const started = performance.now();
for (let r = 0; r < ROUNDS; r++) await round();
const { user, system } = process.cpuUsage(cpu0);
const steps = ROUNDS * STATIONS;
console.log(`charge-point status step, ${STATIONS} stations × ${ROUNDS} rounds — Bun ${Bun.version}`);
console.log(`CPU per step (all threads): ${((user + system) / steps).toFixed(2)} µs`);
console.log(`wall time per step: ${(((performance.now() - started) * 1000) / steps).toFixed(2)} µs`);
if (errors.length > 0) console.log(`errors logged: ${errors.length} (first: ${errors[0]})`);
app.close();
