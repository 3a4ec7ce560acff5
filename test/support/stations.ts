import { RPCClient } from 'ocpp-rpc';
import type { TestServer } from './server.ts';

export const STATION_PASSWORD = 'station-password-0123456789';

/**
 * A third-party OCPP client (ocpp-rpc in strict mode) playing a charge point: it validates everything we send
 * against the official schemas, so a protocol mistake of ours fails the test.
 */
export async function connectStation(
  server: TestServer,
  id: string,
  opts: { protocol?: 'ocpp1.6' | 'ocpp2.0.1'; password?: string; register?: boolean; protocols?: string[] } = {},
) {
  if (opts.register !== false) {
    const registered = await server.api('PUT', `/api/v1/charge-points/${encodeURIComponent(id)}`, { password: STATION_PASSWORD });
    if (registered.status >= 300) throw new Error(`registering ${id}: ${registered.status} ${JSON.stringify(registered.body)}`);
  }
  const client = stationClient({
    endpoint: server.ocppUrl,
    identity: id,
    protocols: opts.protocols ?? [opts.protocol ?? 'ocpp1.6'],
    password: opts.password ?? STATION_PASSWORD,
  });
  const strictFailures: unknown[] = [];
  client.on('strictValidationFailure', (failure: unknown) => strictFailures.push(failure));
  await client.connect();
  return { client, strictFailures };
}

/** ocpp-rpc in strict mode, no reconnects, short call timeout (its typings wrongly demand every option). */
export function stationClient(options: { endpoint: string; identity: string; protocols: string[]; password?: string }) {
  return new RPCClient({ strictMode: true, reconnect: false, callTimeoutMs: 5000, ...options } as ConstructorParameters<typeof RPCClient>[0]);
}

export type Station = Awaited<ReturnType<typeof connectStation>>;

/** Resolves with the next CALLERROR/CALLRESULT frame the station receives for `id`. */
export function nextAnswer(client: RPCClient, id: string): Promise<unknown[]> {
  return new Promise((resolve) => {
    const onMessage = ({ message, outbound }: { message: string; outbound: boolean }) => {
      if (outbound) return;
      const frame = JSON.parse(message.toString()) as unknown[];
      if (frame[1] === id) {
        client.off('message', onMessage);
        resolve(frame);
      }
    };
    client.on('message', onMessage);
  });
}
