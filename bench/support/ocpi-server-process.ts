/**
 * One server for bench/ocpi.ts, in a process of its own so that its CPU time is the server's alone:
 *
 *   bun bench/support/ocpi-server-process.ts dynamo <dir> <adminKey> <locations> <cdrs> <owner CC/PID>
 *       the real server (startServer, database in <dir>) with <locations> locations put through the charging
 *       network (the operator API's own write path) and <cdrs> CDRs of <owner>'s tokens stored as the session
 *       actors store them
 *   bun bench/support/ocpi-server-process.ts bare <pagesFile>
 *       a bare Elysia route per list that serves the same bytes and headers from memory (bare-ocpi-routes.ts)
 *
 * It speaks JSON lines: prints {"port"} once listening (and seeded), then answers each line read from stdin:
 *   "cpu"  → {"cpuMicros"}   CPU time so far (all threads)
 *   "stop" → {"stopped":true}, then exits. The end of stdin (the bench died) stops it too.
 */
import { startServer } from '../../src/server.ts';
import { benchConfig } from './bench-config.ts';
import type { Logger } from '../../src/lib/logger.ts';
import { seedCdrs, seedLocations } from './ocpi-seed.ts';
import { startBareOcpi } from './bare-ocpi-routes.ts';

const [mode, ...args] = Bun.argv.slice(2);

/** Warnings and errors of the server are counted and shown by the bench: a silent logger would hide product errors. */
const logs: Record<string, number> = {};
const counting = (level: string) => (msg: string) => void (logs[`${level}: ${msg}`] = (logs[`${level}: ${msg}`] ?? 0) + 1);
const logger: Logger = { info: () => {}, warn: counting('warn'), error: counting('error') };

let stop: () => Promise<void>;
let port: number;
if (mode === 'dynamo' && args.length === 5) {
  const [dir, adminKey, locations, cdrs, owner] = args as [string, string, string, string, string];
  const server = startServer(benchConfig(dir, adminKey), { logger });
  seedLocations(server.network, server.storage.transact, Number(locations));
  const [countryCode, partyId] = owner.split('/') as [string, string];
  seedCdrs(server.storage, Number(cdrs), { countryCode, partyId });
  port = server.port;
  stop = () => server.stop();
} else if (mode === 'bare' && args.length === 1) {
  const server = await startBareOcpi(args[0]!);
  port = server.port!;
  stop = () => server.stop(true);
} else {
  console.error('usage: ocpi-server-process.ts dynamo <dir> <adminKey> <locations> <cdrs> <CC/PID> | bare <pagesFile>');
  process.exit(2);
}

const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
reply({ port });
for await (const line of console) {
  const command = line.trim();
  if (command === 'cpu') {
    const { user, system } = process.cpuUsage();
    reply({ cpuMicros: user + system, logs });
  } else if (command === 'stop') break;
}
await stop();
reply({ stopped: true });
process.exit(0);
