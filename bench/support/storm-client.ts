/**
 * The stations of a reconnect storm, in a process of their own so that the load generator does not share the
 * server's CPU accounting: `bun storm-client.ts <ocppUrl> <count> <password>` opens `count` OCPP 1.6 WebSockets at
 * once (ids from network-seed.ts), each sending BootNotification and, once accepted, a StatusNotification for
 * connector 1, as a station does after every (re)boot. A connection that fails is retried after 100–300 ms, as a
 * station's own backoff would (a refused upgrade is counted, not retried: a valid station must never see one).
 *
 * With `lenient` as 4th argument any CALLRESULT counts as an accepted boot (a bare echo baseline).
 *
 * Prints one JSON line once every station is booted or 60 s have passed:
 *   {"booted","bootedMs","statusMs","refused","retries":{reason: n},"cpuMicros"}
 * then holds the sockets open, idle (for memory figures), until its stdin ends.
 */
import { stationId } from './network-seed.ts';

const [url, countArg, password, mode] = Bun.argv.slice(2);
/** A bare echo answers every CALL with `[3,id,{}]`: any CALLRESULT counts as an accepted boot there. */
const lenient = mode === 'lenient';
const count = Number(countArg);
const GIVE_UP_MS = 60_000;
const started = performance.now();
const retries: Record<string, number> = {};
let refused = 0;
let booted = 0;
let statused = 0;
let bootedMs = NaN;
let statusMs = NaN;
const sockets: WebSocket[] = [];
let finish: () => void;
const done = new Promise<void>((resolve) => (finish = resolve));

function connect(i: number) {
  const id = stationId(i);
  const ws = new WebSocket(`${url}/${encodeURIComponent(id)}`, { headers: { authorization: `Basic ${btoa(`${id}:${password}`)}` }, protocols: ['ocpp1.6'] } as never);
  let opened = false;
  let state: 'boot' | 'status' | 'idle' = 'boot';
  ws.onopen = () => {
    opened = true;
    ws.send(JSON.stringify([2, 'b', 'BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Restart' }]));
  };
  ws.onmessage = (event) => {
    const frame = JSON.parse(String(event.data)) as unknown[];
    if (state === 'boot' && frame[1] === 'b') {
      if (frame[0] !== 3 || (!lenient && (frame[2] as { status?: string }).status !== 'Accepted')) return giveUp(`BootNotification answered ${JSON.stringify(frame).slice(0, 120)}`);
      state = 'status';
      if (++booted === count) bootedMs = performance.now() - started;
      ws.send(JSON.stringify([2, 's', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }]));
    } else if (state === 'status' && frame[1] === 's') {
      state = 'idle';
      if (frame[0] !== 3) return giveUp(`StatusNotification answered ${JSON.stringify(frame).slice(0, 120)}`);
      if (++statused === count) {
        statusMs = performance.now() - started;
        finish();
      }
    } else if (frame[0] === 2) ws.send(JSON.stringify([4, frame[1], 'NotSupported', 'bench station', {}]));
  };
  ws.onclose = (event) => {
    if (state === 'idle') return;
    // Bun reports a refused upgrade (401, 503, …) as a close without an open.
    if (!opened && event.code === 1002) {
      refused += 1;
      return;
    }
    const reason = `${opened ? 'closed' : 'failed'} ${event.code} ${event.reason}`.trim();
    retries[reason] = (retries[reason] ?? 0) + 1;
    if (performance.now() - started < GIVE_UP_MS) setTimeout(() => connect(i), 100 + Math.random() * 200);
  };
  sockets[i] = ws;
  function giveUp(reason: string) {
    retries[reason] = (retries[reason] ?? 0) + 1;
    state = 'idle';
  }
}

for (let i = 0; i < count; i += 1) connect(i);
await Promise.race([done, Bun.sleep(GIVE_UP_MS)]);
const { user, system } = process.cpuUsage();
console.log(JSON.stringify({ booted, statused, bootedMs, statusMs, refused, retries, cpuMicros: user + system }));
for await (const _ of console);
for (const ws of sockets) ws?.close(1000);
process.exit(0);
