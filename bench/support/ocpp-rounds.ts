/**
 * bench:ocpp's measured windows in rounds (bench/ocpp.ts says why): in each round every server takes a turn — a
 * closed-loop window, then a paced one — in an order rotated by one server each round; afterwards a server's turns
 * of all rounds are merged into one closed-loop and one paced figure.
 */
import { waitForQuiet } from './bench-process.ts';
import { mergeWindows } from './load-window.ts';
import type { PacedWindow, Turn, Window } from './ocpp-report.ts';
import type { TargetServer } from './ocpp-target-server.ts';

/** Open files this load generator needs besides its stations' sockets. */
export const FILE_MARGIN = 256;

/**
 * Whether every server's stations can stay connected for the whole run (one open file each in this process), or
 * must be parked between their server's turns; with the reason, to print.
 */
export function stationsStay(servers: number, stations: number, fileLimit: number | undefined) {
  const needed = servers * stations + FILE_MARGIN;
  if (fileLimit === undefined) return { stay: false, why: `parked: each server's stations connect before its turn and close after it (the open-file limit is unknown)` };
  const sum = `${servers} × ${stations} + ${FILE_MARGIN} = ${needed}`;
  return needed <= fileLimit
    ? { stay: true, why: `all ${servers} servers' stations stay connected for the whole run (${sum} open files, the limit is ${fileLimit})` }
    : { stay: false, why: `parked: each server's stations connect before its turn and close after it (${sum} open files would pass the limit of ${fileLimit})` };
}

/**
 * The rounds, each server's turn of `closedSeconds / rounds` and `pacedSeconds / rounds`. Before a turn the
 * servers must be quiet: they share one core, and what one left to do after its load would slow the next.
 * Afterwards every server has its memory figure after the load, taken while its stations were connected.
 */
export async function runRounds(servers: TargetServer[], { rounds, closedSeconds, pacedSeconds, stay }: { rounds: number; closedSeconds: number; pacedSeconds: number; stay: boolean }) {
  for (let round = 0; round < rounds; round++)
    for (const server of servers.map((_, i) => servers[(i + round) % servers.length]!)) {
      if (!stay) await server.connect();
      const waited = await waitForQuiet(servers.map((s) => s.pid));
      await server.turn(closedSeconds / rounds, pacedSeconds / rounds, `round ${round + 1}/${rounds}, the servers quiet after ${(waited / 1000).toFixed(1)} s`);
      if (stay) continue;
      if (round === rounds - 1) await server.recordLoaded();
      await server.park();
    }
  if (stay) for (const server of servers) await server.recordLoaded();
}

/** A server's turns as one closed-loop and one paced window: load-window.ts's merge, plus what bench:ocpp counts. */
export function mergeTurns(turns: Turn[]): { closed: Window; paced: PacedWindow } {
  const merged = (windows: Window[]) => ({ ...mergeWindows(windows), traceDropped: windows.reduce((sum, w) => sum + w.traceDropped, 0) });
  const paced = turns.map((t) => t.paced);
  return { closed: merged(turns.map((t) => t.closed)), paced: { ...merged(paced), skipped: paced.reduce((sum, w) => sum + w.skipped, 0) } };
}
