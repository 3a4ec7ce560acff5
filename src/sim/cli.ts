import { collectStats, formatStats } from './sim-stats.ts';
import { parseSimArgs } from './sim-options.ts';
import { startSimulation } from './simulation.ts';
import { createStatusLine } from './status-line.ts';

/**
 * `bun run simulate --csms <base url> --api-key <key> [--stations N] [--seconds S]`: registers simulated stations
 * (and an eMSP, unless --no-emsp) with any deployment through its public interfaces, runs them for a while and
 * reports. Exits non-zero when a session completed without its CDR, or the eMSP missed or duplicated one.
 */
const args = parseSimArgs(process.argv.slice(2), process.env);
if (!args.csms || !args.apiKey) {
  console.error('usage: bun run simulate --csms <base url> --api-key <key> [--stations N] [--seconds S] [--factor F] [--seed N] [--no-emsp]');
  process.exit(2);
}
let errors = 0;
const status = createStatusLine();
const sim = await startSimulation({
  csmsUrl: args.csms,
  apiKey: args.apiKey,
  stations: args.stations,
  arrivalsPerHour: args.arrivalsPerHour,
  meterIntervalS: args.meterIntervalS,
  factor: args.factor,
  seed: args.seed,
  emsp: args.emsp,
  prefix: args.prefix,
  onEvent: (e) => {
    if (e.kind === 'error') errors += 1;
    status.event(`${e.kind.padEnd(9)} ${e.message}`);
  },
});
const until = Date.now() + args.seconds * 1000;
while (Date.now() < until) {
  status.update(await collectStats(sim, sim.csms, errors));
  await Bun.sleep(1000);
}
await sim.stop();
// Let the last stops, CDRs and pushes settle before judging.
await Bun.sleep(3000);
const stats = await collectStats(sim, sim.csms, errors);
status.done();
console.log(`\nSimulation report: ${formatStats(stats)}`);
const problems: string[] = [];
if (sim.emsp) {
  const view = sim.emsp.view();
  if (view.duplicateCdrIds.length > 0) problems.push(`the eMSP received CDRs more than once: ${view.duplicateCdrIds.join(', ')}`);
}
if (stats.completedWithoutCdr > 0) problems.push(`${stats.completedWithoutCdr} completed sessions have no CDR`);
for (const problem of problems) console.log(`  ✗ ${problem}`);
if (problems.length === 0) console.log('  ✓ every completed session has its CDR; the eMSP got each CDR once');
process.exit(problems.length === 0 ? 0 : 1);
