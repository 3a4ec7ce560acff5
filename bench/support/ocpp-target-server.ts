/**
 * One of bench:ocpp's servers over the whole run (bench/ocpp.ts): its child process (server-process.ts), its
 * stations and its measured turns. Its stations connect once with the memory figures and warm it up (setUp); when
 * the open files do not allow every server's stations at once, they are parked (closed) between its turns and
 * connect again before the next one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMicrosOf, pinning } from './bench-process.ts';
import { ChildServer, tempDirRemovedOnExit } from './child-server.ts';
import { BATCH, benchStationIds, measureWindow, registerStations, type CpuReading } from './load-window.ts';
import type { RunResult, Stats, Target, Turn, Window } from './ocpp-report.ts';
import { mergeTurns } from './ocpp-rounds.ts';
import { addCounts, pacedLoad, Station, Tally } from './ocpp-station.ts';

const SERVER_SCRIPT = join(import.meta.dir, 'server-process.ts');

export interface Plan {
  stations: number;
  /** CALLs a second of the paced windows, all stations together. */
  rate: number;
  /** After a window, calls still in flight get this long before they count as unanswered. */
  drainMs: number;
  adminKey: string;
  /** Where the dynamo server leaves its CPU profile (bun --cpu-prof), if anywhere. */
  profileDir?: string;
}

type Setup = Pick<RunResult, 'registerMs' | 'registerFailures' | 'connectMs' | 'connected' | 'halfConnected'> & { memory: Omit<RunResult['memory'], 'loaded'> };

export class TargetServer {
  readonly turns: Turn[] = [];
  private stations: Station[] = [];
  private live: Station[] = [];
  private readonly connectFailures = new Map<string, number>();
  private setup?: Setup;
  private loaded?: Stats;

  private constructor(
    readonly target: Target,
    private readonly server: ChildServer,
    private readonly plan: Plan,
    private readonly removeDir?: () => void,
  ) {}

  static async start(target: Target, plan: Plan) {
    const dir = target === 'dynamo' ? mkdtempSync(join(tmpdir(), 'dynamo-bench-')) : undefined;
    const removeDir = dir ? tempDirRemovedOnExit(dir) : undefined;
    const bunFlags = target === 'dynamo' && plan.profileDir ? ['--cpu-prof', '--cpu-prof-md', `--cpu-prof-dir=${plan.profileDir}`] : [];
    const server = await ChildServer.start(SERVER_SCRIPT, dir ? ['dynamo', dir, plan.adminKey] : [target], { bunFlags, cores: pinning?.server });
    return new TargetServer(target, server, plan, removeDir);
  }

  get pid() {
    return this.server.pid;
  }

  /** Registration (dynamo), the first connect with the memory figures, then the warm-up; nothing of it is measured. */
  async setUp(warmupSeconds: number) {
    const { stations } = this.plan;
    let registerMs: number | undefined;
    let registerFailures = 0;
    if (this.target === 'dynamo') {
      this.progress(`registering ${stations} stations`);
      const started = performance.now();
      registerFailures = await registerStations(`http://127.0.0.1:${this.server.port}`, this.plan.adminKey, benchStationIds(stations));
      registerMs = performance.now() - started;
    }
    // A burst of plain requests first: Bun's allocator gives back much of its start-up slack on the first traffic.
    await Promise.all(Array.from({ length: BATCH }, () => fetch(`http://127.0.0.1:${this.server.port}/`).then((r) => r.arrayBuffer(), () => undefined)));
    const before = await this.stats();

    // Memory per station is the growth from the first half of the stations to all of them: the rest of that slack
    // (a few MB, going while the first stations connect) would hide in a figure counted from zero.
    let half = { stats: before, live: 0 };
    let statsMs = 0;
    const started = performance.now();
    await this.connect(async (live) => {
      const asked = performance.now();
      half = { stats: await this.stats(), live };
      statsMs = performance.now() - asked;
    });
    const connectMs = performance.now() - started - statsMs;
    const connected = await this.stats();
    this.setup = { registerMs, registerFailures, connectMs, connected: this.live.length, halfConnected: half.live, memory: { before, half: half.stats, connected } };

    if (warmupSeconds > 0) {
      this.progress(`warm-up: closed loop for ${warmupSeconds} s`);
      await this.measure(this.closedLoop(warmupSeconds));
    }
  }

  /**
   * Connects (and boots) every station anew, BATCH at a time, as a station does after a restart; `atHalf` runs
   * once, when half of them have been tried.
   */
  async connect(atHalf?: (live: number) => Promise<void>) {
    const again = this.stations.length > 0;
    this.progress(again ? 'connecting again' : 'connecting');
    const connecting = new Tally();
    this.stations = benchStationIds(this.plan.stations).map((id) => new Station(id, connecting));
    for (let i = 0; i < this.stations.length; i += BATCH) {
      if (atHalf && i >= this.stations.length / 2) {
        await atHalf(this.stations.filter((s) => s.connected).length);
        atHalf = undefined;
      }
      await Promise.all(this.stations.slice(i, i + BATCH).map((s) => s.connect(`ws://127.0.0.1:${this.server.port}/ocpp`)));
    }
    this.live = this.stations.filter((s) => s.connected);
    addCounts(this.connectFailures, connecting.connectFailures, again ? 'connecting again: ' : '');
  }

  /** Closes every station (the closing handshake, at most 10 s), leaving their open files to another server's. */
  async park() {
    await Promise.race([Promise.all(this.stations.map((s) => s.close())), Bun.sleep(10_000)]);
    this.live = [];
  }

  /** One round's turn: the closed loop for `closedSeconds`, then `plan.rate` CALLs a second for `pacedSeconds`. */
  async turn(closedSeconds: number, pacedSeconds: number, label: string) {
    this.progress(`${label}: closed loop for ${closedSeconds.toFixed(1)} s on ${this.live.length} connections, then paced at ${this.plan.rate} msg/s for ${pacedSeconds.toFixed(1)} s`);
    const closed = await this.measure(this.closedLoop(closedSeconds));
    let skipped = 0;
    const paced = await this.measure(async () => {
      for (const station of this.live) station.startPaced();
      skipped = (await pacedLoad(this.live, this.plan.rate, pacedSeconds)).skipped;
    });
    this.turns.push({ closed, paced: { ...paced, skipped } });
  }

  /** The memory figure after the load, taken while the stations are still connected. */
  async recordLoaded() {
    this.loaded = await this.stats();
  }

  result(): RunResult {
    if (!this.setup || !this.loaded) throw new Error(`${this.target}: no result before setUp and recordLoaded`);
    const { memory, ...setup } = this.setup;
    return {
      target: this.target,
      ...setup,
      connectFailures: this.connectFailures,
      rounds: this.turns,
      ...mergeTurns(this.turns),
      memory: { ...memory, loaded: this.loaded },
      logs: this.loaded.logs,
    };
  }

  async stop() {
    await this.server.stop();
    this.removeDir?.();
  }

  private closedLoop(seconds: number) {
    return async (tally: Tally) => {
      tally.running = true;
      for (const station of this.live) station.startLoad();
      await Bun.sleep(seconds * 1000);
      tally.running = false;
    };
  }

  /** One load window (load-window.ts), with the trace records the server dropped meanwhile. */
  private async measure(load: (tally: Tally) => Promise<void>): Promise<Window> {
    const dropped0 = await this.traceDropped();
    const window = await measureWindow(() => this.cpu(), this.live, this.plan.drainMs, load);
    // The recorder reports its drops with its next batch (every 250 ms).
    await Bun.sleep(300);
    return { ...window, traceDropped: (await this.traceDropped()) - dropped0 };
  }

  private stats() {
    return this.server.request<Stats>('stats');
  }

  /** Protocol trace records the server dropped so far (0 for echo and raw). */
  private async traceDropped() {
    return (await this.server.request<{ dropped: number }>('trace')).dropped;
  }

  /** The server's CPU so far from /proc (costs it nothing), or as the server itself reports it elsewhere. */
  private async cpu(): Promise<CpuReading> {
    const all = cpuMicrosOf(this.server.pid);
    if (all !== undefined) return { all, main: cpuMicrosOf(this.server.pid, this.server.pid) ?? Number.NaN };
    const asked = await this.server.request<{ cpuMicros: number; mainMicros: number }>('cpu');
    return { all: asked.cpuMicros, main: asked.mainMicros };
  }

  private progress(what: string) {
    console.log(`[${this.target}] ${what}…`);
  }
}
