import { formatStats } from './sim-stats.ts';
import { parseSimArgs } from './sim-options.ts';
import { startWatchedSimulation } from './watched-simulation.ts';

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
const watched = await startWatchedSimulation(args, args.csms, args.apiKey);
const sim = watched.sim;
await Bun.sleep(args.seconds * 1000);
await watched.stop();
// Let the last stops, CDRs and pushes settle before judging.
await Bun.sleep(3000);
const stats = await watched.stats();
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
