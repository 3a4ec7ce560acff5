/**
 * A station as a plain WebSocket with Basic auth: sends frames exactly as given (broken JSON, lone surrogates,
 * wrong shapes) where a real OCPP client library would refuse to, and pairs answers with calls by message id.
 */
import { STATION_PASSWORD } from './stations.ts';
import type { TestServer } from './server.ts';

export interface RawStation {
  /** Sends `frame` (a string is sent as is) and resolves with the CALLRESULT/CALLERROR for `id`. */
  call(id: string, frame: unknown): Promise<unknown[]>;
  send(text: string): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export async function rawStation(server: Pick<TestServer, 'ocppUrl' | 'api'>, id: string, protocol: 'ocpp1.6' | 'ocpp2.0.1', opts: { register?: boolean } = {}): Promise<RawStation> {
  if (opts.register !== false) {
    const registered = await server.api('PUT', `/api/v1/charge-points/${encodeURIComponent(id)}`, { password: STATION_PASSWORD });
    if (registered.status >= 300) throw new Error(`registering ${id}: ${registered.status}`);
  }
  const authorization = `Basic ${Buffer.from(`${id}:${STATION_PASSWORD}`).toString('base64')}`;
  const socket = new WebSocket(`${server.ocppUrl}/${encodeURIComponent(id)}`, { protocols: [protocol], headers: { authorization } } as any);
  const waiting = new Map<string, (frame: unknown[]) => void>();
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(String(event.data)) as unknown[];
    if (frame[0] === 3 || frame[0] === 4) waiting.get(String(frame[1]))?.(frame);
    // The CSMS's own CALLs (e.g. after boot) are not what these tests are about: they stay unanswered.
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason })));
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`${id}: WebSocket refused`)), { once: true });
  });
  return {
    call(messageId, frame) {
      const answer = new Promise<unknown[]>((resolve) => waiting.set(messageId, resolve));
      socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
      return answer.finally(() => waiting.delete(messageId));
    },
    send: (text) => socket.send(text),
    closed,
    close: () => socket.close(),
  };
}
