import { formatStats } from './sim-stats.ts';
import { parseSimArgs, SimArgsError, simUsage, type SimArgs } from './sim-options.ts';
import { startWatchedSimulation } from './watched-simulation.ts';

/**
 * `bun run simulate --csms <base url> --api-key <key> [options]` (`--help` lists them): registers simulated
 * stations (and an eMSP, unless --no-emsp) with any deployment through its public interfaces, runs them for a
 * while, winds down (sessions stopped, eMSP unregistered) and reports. Exit codes: 0 all well; 1 a completed
 * session without its CDR, a CDR the eMSP got twice, a bad value or a CSMS that cannot be used; 2 a usage
 * mistake; 130/143 ended by SIGINT/SIGTERM (after the same wind-down).
 */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** One line on stderr and out: whoever runs this in CI reads the reason, not a stack trace. */
function fail(message: string, code: 1 | 2): never {
  console.error(`simulate: ${message}`);
  process.exit(code);
}

/** An error as one line; fetch's network errors carry their cause in `code` (ConnectionRefused, …). */
const describe = (error: unknown) => {
  const { message, code } = error as { message?: string; code?: string };
  return [message ?? String(error), code && !message?.includes(code) ? `(${code})` : ''].join(' ').trim().replace(/\s*\n\s*/g, ' ');
};

let args: SimArgs;
try {
  args = parseSimArgs(process.argv.slice(2), process.env, 'simulate');
} catch (error) {
  if (error instanceof SimArgsError) fail(error.message, error.exitCode);
  throw error;
}
if (args.help) {
  process.stdout.write(simUsage('simulate'));
  process.exit(0);
}
if (!args.csms || !args.apiKey) fail('--csms and --api-key are required (see --help)', 2);
const csms = URL.canParse(args.csms) ? new URL(args.csms) : undefined;
if (!csms || !['http:', 'https:'].includes(csms.protocol)) fail(`--csms must be an http(s) URL, not "${args.csms}"`, 1);

// The first signal ends the run early but still winds down; a second one does not wait for that.
let signalled: keyof typeof SIGNAL_EXIT | undefined;
const interrupted = Promise.withResolvers<void>();
for (const name of ['SIGINT', 'SIGTERM'] as const)
  process.on(name, () => {
    if (signalled) process.exit(SIGNAL_EXIT[name]);
    signalled = name;
    interrupted.resolve();
  });

const watched = await startWatchedSimulation(args, args.csms, args.apiKey).catch((error) => fail(`cannot run against ${args.csms}: ${describe(error)}`, 1));
await Promise.race([Bun.sleep(args.seconds * 1000), interrupted.promise]);
if (signalled) console.log(`\n${signalled}: stopping the running sessions and unregistering the eMSP`);
await watched.stop();
const stats = await watched.stats().catch((error) => fail(`cannot read the results from ${args.csms}: ${describe(error)}`, 1));
console.log(`\nSimulation report: ${formatStats(stats)}`);
const problems: string[] = [];
if (watched.sim.emsp) {
  const view = watched.sim.emsp.view();
  if (view.duplicateCdrIds.length > 0) problems.push(`the eMSP received CDRs more than once: ${view.duplicateCdrIds.join(', ')}`);
}
if (stats.completedWithoutCdr > 0) problems.push(`${stats.completedWithoutCdr} completed sessions have no CDR`);
for (const problem of problems) console.log(`  ✗ ${problem}`);
if (problems.length === 0) console.log('  ✓ every completed session has its CDR; the eMSP got each CDR once');
process.exit(signalled ? SIGNAL_EXIT[signalled] : problems.length === 0 ? 0 : 1);
