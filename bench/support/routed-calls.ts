/**
 * What it costs to reach a station through a node that does not hold its socket (bench/cluster.ts): an eMSP sends
 * UNLOCK_CONNECTOR, one at a time, alternately to the node holding the station (the CALL goes straight to the
 * socket) and to the other node (the CALL goes over the Redis bus to the holder, the station's answer comes back
 * the same way). Each command is timed from its POST to our HTTP answer, to the UnlockConnector arriving at the
 * station (ocpp-rpc, strict), and to the CommandResult arriving at the eMSP (through the partner's outbox, delivered
 * by whichever node holds its delivery lease).
 */
import { callNode, ocpiAuth } from '../../test/support/cluster-nodes.ts';
import { bootedStation, setUpNetwork } from '../../test/support/cluster-network.ts';
import { startFakeEmsp } from '../../test/support/fake-emsp.ts';
import type { ServerProcess } from '../../test/support/server-process.ts';

/** Commands before the measured ones (first requests compile routes, validators and statements). */
const WARM_UP = 20;
/** A leg not done within this long fails the bench: a lost routed CALL must not go unnoticed. */
const LEG_TIMEOUT_MS = 15_000;
const STATION = 'CP-ROUTE';

/** Milliseconds from the POST of each command. */
export interface CommandTimes {
  answered: number[];
  atStation: number[];
  result: number[];
}

export async function measureRoutedCalls(holder: ServerProcess, other: ServerProcess, calls: number): Promise<{ local: CommandTimes; routed: CommandTimes }> {
  const results = new Map<string, (body: unknown) => void>();
  const emsp = startFakeEmsp({
    routes: ({ method, path, body }) => {
      const id = /^\/ocpi\/emsp\/2\.2\.1\/commands\/results\/([^/]+)$/.exec(path)?.[1];
      if (method === 'POST' && id) results.get(decodeURIComponent(id))?.(body);
      return undefined; // the eMSP stores and acknowledges it as usual
    },
  });
  const times = { local: { answered: [], atStation: [], result: [] } as CommandTimes, routed: { answered: [], atStation: [], result: [] } as CommandTimes };
  try {
    const token = await setUpNetwork(holder, emsp, [STATION], ['UNLOCK_CAPABLE']);
    const station = await bootedStation(holder, STATION);
    let unlocked = () => {};
    station.handle('UnlockConnector', async () => {
      unlocked();
      return { status: 'Unlocked' };
    });
    try {
      for (let i = 0; i < WARM_UP + 2 * calls; i++) {
        const routed = i % 2 === 1;
        const id = `unlock-${i}`;
        const atStation = within(new Promise<number>((resolve) => (unlocked = () => resolve(performance.now()))), `UnlockConnector ${id} at the station`);
        const result = within(
          new Promise<number>((resolve, reject) =>
            results.set(id, (body) => ((body as { result?: string })?.result === 'ACCEPTED' ? resolve(performance.now()) : reject(new Error(`CommandResult ${id}: ${JSON.stringify(body)}`)))),
          ),
          `CommandResult ${id}`,
        );
        const started = performance.now();
        const answer = await callNode(routed ? other : holder, 'POST', '/ocpi/cpo/2.2.1/commands/UNLOCK_CONNECTOR', { response_url: emsp.responseUrl(id), location_id: 'LOC-C', evse_uid: `E-${STATION}`, connector_id: '1' }, ocpiAuth(token));
        const answered = performance.now();
        if (answer.body?.data?.result !== 'ACCEPTED') throw new Error(`UNLOCK_CONNECTOR ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
        const [reached, resulted] = await Promise.all([atStation, result]);
        results.delete(id);
        if (i < WARM_UP) continue;
        const leg = routed ? times.routed : times.local;
        leg.answered.push(answered - started);
        leg.atStation.push(reached - started);
        leg.result.push(resulted - started);
      }
      return times;
    } finally {
      await station.close();
    }
  } finally {
    emsp.stop();
  }
}

/** `promise`, or an error after LEG_TIMEOUT_MS; never an unhandled rejection when the bench stops waiting for it. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${LEG_TIMEOUT_MS} ms`)), LEG_TIMEOUT_MS)));
  const raced = Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  raced.catch(() => {});
  return raced;
}
