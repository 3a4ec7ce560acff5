/**
 * The simulated OCPP 1.6 charge points of bench/ocpp.ts and bench/cluster.ts: minimal client WebSockets on raw
 * TCP sockets (raw-websocket.ts; ocpp-rpc is too heavy for 20k), one CALL in flight each, cycling Heartbeat →
 * StatusNotification → MeterValues with valid payloads. Towards a loopback server they connect from several
 * loopback addresses (raw-websocket.ts says why).
 *
 * Per message they cost what Bun's WebSocket class did (~4 µs user + ~10 µs system per round trip, the system part
 * the kernel's loopback TCP), about what the bare echo server spends on its side: in the echo's closed loop this
 * process still runs at 95–99 % of its core, so the echo's msg/s is as much this generator's limit as the echo's.
 */
import { RawWebSocket } from './raw-websocket.ts';

const CONNECT_TIMEOUT_MS = 15_000;
/** Latency samples kept (bounds memory for long runs). */
const MAX_SAMPLES = 5_000_000;
export const STATION_PASSWORD = 'bench-station-password-01234';

/** Everything the stations of one load window observed. */
export class Tally {
  running = false;
  completed = 0;
  latencies: number[] = [];
  callErrors = new Map<string, number>();
  connectFailures = new Map<string, number>();
  unexpectedCloses = new Map<string, number>();
  serverCalls = 0;
  strayFrames = 0;

  answered(action: string, frame: unknown[], ms: number) {
    this.completed += 1;
    if (this.latencies.length < MAX_SAMPLES) this.latencies.push(ms);
    if (frame[0] === 4) increment(this.callErrors, `${action}: ${frame[2]} ${JSON.stringify(frame[3])}`);
  }

  /** What several windows observed, as one: counts added, latencies pooled. */
  static merged(tallies: Tally[]) {
    const all = new Tally();
    for (const t of tallies) {
      all.completed += t.completed;
      all.latencies = all.latencies.concat(t.latencies);
      for (const [into, from] of [
        [all.callErrors, t.callErrors],
        [all.connectFailures, t.connectFailures],
        [all.unexpectedCloses, t.unexpectedCloses],
      ] as const)
        addCounts(into, from);
      all.serverCalls += t.serverCalls;
      all.strayFrames += t.strayFrames;
    }
    return all;
  }

  /** Latency percentile (q in 0..1) in ms over the answered calls. */
  percentile(q: number) {
    const sorted = Float64Array.from(this.latencies).sort();
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
  }
}

/** One simulated charge point; `tally` is where its answers are counted (swapped between load windows). */
export class Station {
  connected = false;
  closing = false;
  pendingId = '';
  private ws?: RawWebSocket;
  private onClosed?: () => void;
  private seq = 0;
  private pendingAction = '';
  private sentAt = 0;
  private energyWh = 0;
  private available = true;
  private onAnswer: (frame: unknown[], ms: number) => void = () => {};

  constructor(
    readonly id: string,
    public tally: Tally,
  ) {}

  /** Opens the socket and sends BootNotification; resolves true once it is Accepted (any CALLRESULT for the echo). */
  connect(ocppUrl: string): Promise<boolean> {
    return new Promise((resolve) => {
      const fail = (reason: string) => {
        if (this.connected || this.closing) return;
        this.closing = true;
        clearTimeout(timer);
        increment(this.tally.connectFailures, reason);
        this.ws?.close();
        resolve(false);
      };
      const timer = setTimeout(() => fail('timeout'), CONNECT_TIMEOUT_MS);
      const { hostname, port, pathname } = new URL(`${ocppUrl}/${encodeURIComponent(this.id)}`);
      const headers = { authorization: `Basic ${btoa(`${this.id}:${STATION_PASSWORD}`)}`, 'sec-websocket-protocol': 'ocpp1.6' };
      this.ws = new RawWebSocket(hostname, Number(port), pathname, headers, {
        open: () => this.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Closed loop' }),
        message: (text) => this.receive(text),
        close: ({ status, upgraded, code, reason }) => {
          this.onClosed?.();
          if (!upgraded) return fail(status === undefined ? 'socket error' : `socket error (upgrade refused: HTTP ${status})`);
          if (!this.connected) return fail(`closed ${code} ${reason}`);
          if (!this.closing) increment(this.tally.unexpectedCloses, `${code} ${reason}`);
        },
      });
      this.onAnswer = (frame) => {
        if (frame[0] !== 3) return fail(`BootNotification answered ${JSON.stringify(frame)}`.slice(0, 200));
        clearTimeout(timer);
        this.connected = true;
        resolve(true);
      };
    });
  }

  /** Closed loop: the next CALL goes as soon as the last one is answered, while the tally runs. */
  startLoad() {
    this.onAnswer = (frame, ms) => {
      this.tally.answered(this.pendingAction, frame, ms);
      if (this.tally.running) this.next();
    };
    this.next();
  }

  /** Paced: answers are counted, the next CALL waits for `next()` (pacedLoad below). */
  startPaced() {
    this.onAnswer = (frame, ms) => this.tally.answered(this.pendingAction, frame, ms);
  }

  /** The closing handshake with 1000; resolves once the connection is over. */
  close() {
    this.closing = true;
    const ws = this.ws;
    if (!ws || ws.isClosed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.onClosed = resolve;
      ws.close(1000);
    });
  }

  next() {
    const action = (['Heartbeat', 'StatusNotification', 'MeterValues'] as const)[this.seq % 3]!;
    if (action === 'Heartbeat') return this.call(action, {});
    if (action === 'StatusNotification') {
      // A real station only reports changes: alternate so that every notification is one.
      this.available = !this.available;
      return this.call(action, { connectorId: 1, errorCode: 'NoError', status: this.available ? 'Available' : 'Preparing' });
    }
    this.energyWh += 10;
    const sample = { value: String(this.energyWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' };
    return this.call(action, { connectorId: 1, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [sample] }] });
  }

  private call(action: string, payload: unknown) {
    this.pendingId = String(++this.seq);
    this.pendingAction = action;
    this.sentAt = performance.now();
    this.ws!.send(JSON.stringify([2, this.pendingId, action, payload]));
  }

  private receive(text: string) {
    const ms = performance.now() - this.sentAt;
    let frame: unknown[];
    try {
      frame = JSON.parse(text) as unknown[];
    } catch {
      this.tally.strayFrames += 1;
      return;
    }
    // The server calling us is not part of this load; it is counted so that it does not go unnoticed.
    if (frame[0] === 2) this.tally.serverCalls += 1;
    else if (frame[1] !== this.pendingId) this.tally.strayFrames += 1;
    else {
      this.pendingId = '';
      this.onAnswer(frame, ms);
    }
  }
}

/**
 * Sends `rate` CALLs a second for `seconds`, round-robin over the stations; a station whose last CALL is still
 * unanswered when its turn comes skips it (counted: the server is behind). Latency is then the server's answer
 * time at that load, not the queueing of a saturated closed loop.
 */
export async function pacedLoad(stations: Station[], rate: number, seconds: number) {
  let sent = 0;
  let skipped = 0;
  let cursor = 0;
  const started = performance.now();
  for (let elapsed = 0; elapsed < seconds * 1000; elapsed = performance.now() - started) {
    for (let due = Math.floor((elapsed / 1000) * rate) - sent - skipped; due > 0; due -= 1) {
      const station = stations[cursor++ % stations.length]!;
      if (station.pendingId !== '') skipped += 1;
      else {
        station.next();
        sent += 1;
      }
    }
    await Bun.sleep(1);
  }
  return { sent, skipped, windowMs: performance.now() - started };
}

export function increment(map: Map<string, number>, key: string, by = 1) {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Adds the counts of `from` to `into`, key by key. */
export function addCounts(into: Map<string, number>, from: Map<string, number>, prefix = '') {
  for (const [key, n] of from) increment(into, prefix + key, n);
}
