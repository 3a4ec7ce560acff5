/**
 * The fallback of storm-client.c, the load generator storm.ts runs where there is no C compiler (or with
 * STORM_CLIENT=bun): same command line, behaviour and output, so a change to one is a change to both. Like it,
 * towards a loopback server it spreads its stations over several loopback source addresses (raw-websocket.ts).
 *
 * The stations of a reconnect storm, in a process of their own so that the load generator does not share the
 * server's CPU accounting: `bun storm-client.ts <ocppUrl> <count> <password> <strict|lenient>` opens `count` OCPP
 * 1.6 WebSockets at once (raw-websocket.ts: Bun's WebSocket class would make the generator the bottleneck), at most
 * MAX_HANDSHAKES handshaking at a time (ids as network-seed.ts seeds them), each sending BootNotification and, once
 * accepted, a StatusNotification for connector 1, as a station does after every (re)boot. A connection that fails
 * is retried after 100–300 ms, as a station's own backoff would (a refused upgrade is counted, not retried: a valid station must never see one).
 *
 * With `lenient` as 4th argument any CALLRESULT counts as an accepted boot (a bare echo baseline).
 *
 * Prints one JSON line once every station is booted or 60 s have passed:
 *   {"booted","bootedMs","statusMs","refused","retries":{reason: n},"cpuMicros"}
 * then holds the sockets open, idle (for memory figures), until its stdin ends.
 */
import { stationId } from './station-ids.ts';
import { RawWebSocket } from './raw-websocket.ts';

const [url, countArg, password, mode] = Bun.argv.slice(2);
/** A bare echo answers every CALL with `[3,id,{}]`: any CALLRESULT counts as an accepted boot there. */
const lenient = mode === 'lenient';
const count = Number(countArg);
const GIVE_UP_MS = 60_000;
const MAX_HANDSHAKES = 500;
const started = performance.now();
const retries: Record<string, number> = {};
let refused = 0;
let booted = 0;
let statused = 0;
let bootedMs = NaN;
let statusMs = NaN;
const sockets: RawWebSocket[] = [];
let finish: () => void;
const done = new Promise<void>((resolve) => (finish = resolve));

const { hostname, port, pathname } = new URL(url!);

function connect(i: number) {
  const id = stationId(i);
  let state: 'boot' | 'status' | 'idle' = 'boot';
  const headers = { authorization: `Basic ${btoa(`${id}:${password}`)}`, 'sec-websocket-protocol': 'ocpp1.6' };
  const ws: RawWebSocket = new RawWebSocket(hostname, Number(port), `${pathname}/${encodeURIComponent(id)}`, headers, {
    open() {
      handshakeOver();
      ws.send(JSON.stringify([2, 'b', 'BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Restart' }]));
    },
    message(text) {
      const frame = JSON.parse(text) as unknown[];
      if (state === 'boot' && frame[1] === 'b') {
        if (frame[0] !== 3 || (!lenient && (frame[2] as { status?: string }).status !== 'Accepted')) return giveUp(`BootNotification answered ${text.slice(0, 120)}`);
        state = 'status';
        if (++booted === count) bootedMs = performance.now() - started;
        ws.send(JSON.stringify([2, 's', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }]));
      } else if (state === 'status' && frame[1] === 's') {
        state = 'idle';
        if (frame[0] !== 3) return giveUp(`StatusNotification answered ${text.slice(0, 120)}`);
        if (++statused === count) {
          statusMs = performance.now() - started;
          finish();
        }
      } else if (frame[0] === 2) ws.send(JSON.stringify([4, frame[1], 'NotSupported', 'bench station', {}]));
    },
    close({ status, upgraded }) {
      if (!upgraded) handshakeOver();
      if (state === 'idle') return;
      // A refused upgrade (401, 503, …) is what a valid station must never see: counted, not retried.
      if (status !== undefined) {
        refused += 1;
        return;
      }
      const reason = upgraded ? 'closed by the server' : 'connection failed';
      retries[reason] = (retries[reason] ?? 0) + 1;
      if (performance.now() - started < GIVE_UP_MS)
        setTimeout(() => {
          handshaking += 1;
          connect(i);
        }, 100 + Math.random() * 200);
    },
  });
  sockets[i] = ws;
  function handshakeOver() {
    handshaking -= 1;
    admit();
  }
  function giveUp(reason: string) {
    retries[reason] = (retries[reason] ?? 0) + 1;
    state = 'idle';
  }
}

// Handshakes in flight at once: past the server's listen backlog, connections are dropped and retried by TCP
// seconds later (a bare server then takes half a minute for 20k): the backlog a real storm meets, without its loss.
let next = 0;
let handshaking = 0;
const admit = () => {
  while (handshaking < MAX_HANDSHAKES && next < count) {
    handshaking += 1;
    connect(next++);
  }
};
admit();
await Promise.race([done, Bun.sleep(GIVE_UP_MS)]);
const { user, system } = process.cpuUsage();
console.log(JSON.stringify({ booted, statused, bootedMs, statusMs, refused, retries, cpuMicros: user + system }));
for await (const _ of console);
for (const ws of sockets) ws?.close();
process.exit(0);
