import type { Server, ServerWebSocket, WebSocketHandler } from 'bun';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Secrets } from '../lib/secrets.ts';
import type { OcppVersion } from '../model/ocpp-version.ts';
import { silentTap, type GatewayTap, type Station } from './gateway-tap.ts';
import { CallError, callErrorCode } from './rpc/call-errors.ts';
import { BadFrame, errorFrame, parseFrame, resultFrame } from './rpc/frame.ts';
import { OutboundCallError, OutboundCalls } from './rpc/outbound-calls.ts';
import { hasAction, validatePayload } from './rpc/schema-validation.ts';
import { authenticateStation, type StationCredentialsLookup } from './upgrade/authenticate-station.ts';
import { FailureThrottle, type AuthFailureThrottle } from './upgrade/failure-throttle.ts';
import { negotiateProtocol } from './upgrade/negotiate-protocol.ts';

export type { Station };

/** A station's CALL: the payload has passed the official schema; the answer is checked against it too. */
export type ActionHandler = (station: Station, payload: any) => unknown | Promise<unknown>;
export type HandlerTable = Partial<Record<string, ActionHandler>>;

export interface ConnectionEvents {
  connected(station: Station): void;
  disconnected(station: Station): void;
}

interface Connection extends Station {
  outbound: OutboundCalls;
  /** Inbound CALLs are handled one after another, in arrival order. */
  queue: Promise<void>;
  badFrames: { count: number; since: number };
  /** Several nodes: the claim failed; the socket is closing and its CALLs go unanswered. */
  unclaimed?: boolean;
}

const PATH = /^\/ocpp\/([^/]+)\/?$/;
/** Frames above this close that one socket (1009); OCPP payloads are a few kB. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** A station sending nothing but garbage is closed after this many bad frames a minute, never after one. */
export const BAD_FRAME_BUDGET = 30;
const OUTBOUND_TIMEOUT_MS = 30_000;

/**
 * OCPP-J over Bun's native WebSocket: authentication and subprotocol choice before the 101, framing, schema
 * validation, one live socket per station (an authenticated newcomer replaces the old one), and our CALLs.
 */
export function createOcppGateway(deps: {
  stations: StationCredentialsLookup;
  secrets: Secrets;
  logger: Logger;
  /** Metrics and the protocol trace listen here. */
  tap?: GatewayTap;
  clock: Clock;
  /** Several nodes: failures counted across all of them (src/cluster/shared-throttle.ts). */
  throttle?: AuthFailureThrottle;
  /**
   * Several nodes: the station is claimed for this node when its socket opens; its CALLs wait for the claim,
   * and a failed claim closes the socket (the station retries, nothing was answered).
   */
  ownership?: { claim(chargePointId: string): Promise<unknown>; socketClosed(chargePointId: string): void };
}) {
  const live = new Map<string, ServerWebSocket<Connection>>();
  const tap = deps.tap ?? silentTap;
  // Where stations' CALLs and connections go: the actor system, attached once it exists (before the server listens).
  let dispatch: { handlers: Record<OcppVersion, HandlerTable>; events: ConnectionEvents } | undefined;
  const send = (ws: ServerWebSocket<Connection>, frame: string) => {
    tap.frame(ws.data, 'out', frame);
    ws.send(frame);
  };

  // The failure window runs on our Clock; the refusal's hold itself (below) stays a real delay on the socket.
  const throttle = deps.throttle ?? new FailureThrottle(() => deps.clock.now().getTime());

  /** undefined: not an OCPP path; null: upgraded (Bun wants no response then); otherwise the refusal. */
  function upgrade(request: Request, server: Server<Connection>): Response | Promise<Response> | null | undefined {
    const match = PATH.exec(new URL(request.url).pathname);
    if (!match) return undefined;
    if (!dispatch) return new Response('Not ready', { status: 503 });
    let chargePointId: string;
    try {
      chargePointId = decodeURIComponent(match[1]!);
    } catch {
      return new Response('Bad charge point identity', { status: 400 });
    }
    // Authenticate first: nothing about the id (known? connected?) is revealed to an unauthenticated caller.
    if (!authenticateStation(request.headers.get('authorization'), chargePointId, deps.stations, deps.secrets)) {
      const refusal = new Response('Unauthorized', { status: 401, headers: { 'www-authenticate': 'Basic realm="OCPP"' } });
      const hold = (delayMs: number) => {
        deps.logger.warn('Station authentication failed', { chargePointId, delayMs });
        return delayMs === 0 ? refusal : Bun.sleep(delayMs).then(() => refusal);
      };
      const delayMs = throttle.fail(server.requestIP(request)?.address ?? 'unknown', chargePointId);
      return typeof delayMs === 'number' ? hold(delayMs) : delayMs.then(hold, () => refusal);
    }
    const version = negotiateProtocol(request.headers.get('sec-websocket-protocol'));
    if (!version) return new Response('No supported OCPP subprotocol offered (ocpp2.0.1, ocpp1.6)', { status: 400 });
    const data = { chargePointId, version } as Connection;
    if (server.upgrade(request, { data, headers: { 'sec-websocket-protocol': version } })) return null;
    return new Response('Expected a WebSocket upgrade', { status: 426 });
  }

  const websocket: WebSocketHandler<Connection> = {
    maxPayloadLength: MAX_FRAME_BYTES,
    // Bun pings a connection idle this long and closes it if nothing answers: liveness within a minute (reliability rule 6).
    idleTimeout: 60,
    sendPings: true,
    open(ws) {
      const conn = ws.data;
      conn.outbound = new OutboundCalls(conn.version, (frame) => send(ws, frame), deps.clock);
      conn.queue = deps.ownership ? claim(ws) : Promise.resolve();
      conn.badFrames = { count: 0, since: deps.clock.now().getTime() };
      const previous = live.get(conn.chargePointId);
      live.set(conn.chargePointId, ws);
      if (previous) {
        deps.logger.warn('Station connection replaced by a newly authenticated one', { chargePointId: conn.chargePointId });
        previous.close(4000, 'Replaced by a new connection');
      }
      deps.logger.info('Station connected', { chargePointId: conn.chargePointId, protocol: conn.version, takeover: previous !== undefined });
      tap.connected(conn);
      if (!deps.ownership) notify('connected', conn);
    },
    message(ws, message) {
      const conn = ws.data;
      const arrived = performance.now();
      if (typeof message !== 'string') return reject(ws, new BadFrame(undefined, 'RpcFrameworkError', 'Binary frames are not OCPP-J'));
      tap.frame(conn, 'in', message);
      let frame;
      try {
        frame = parseFrame(message);
      } catch (error) {
        return reject(ws, error as BadFrame);
      }
      if (frame.type === 'result') return void settle(conn, frame.id, { payload: frame.payload });
      if (frame.type === 'error') return void settle(conn, frame.id, { code: frame.code, description: frame.description });
      const call = frame;
      conn.queue = conn.queue.then(async () => {
        if (conn.unclaimed) return;
        let outcome: 'result' | 'error' = 'result';
        const reply = await answer(conn, call.action, call.payload).then(
          (payload) => resultFrame(call.id, payload),
          (error) => {
            outcome = 'error';
            const e = error instanceof CallError ? error : new CallError('InternalError', 'Internal error');
            if (!(error instanceof CallError)) deps.logger.error('OCPP handler failed', { chargePointId: conn.chargePointId, action: call.action, error });
            return errorFrame(call.id, callErrorCode(conn.version, e.kind), e.message, e.details);
          },
        );
        send(ws, reply);
        tap.answered(conn, call.action, outcome, (performance.now() - arrived) / 1000);
      });
    },
    close(ws, code, reason) {
      const conn = ws.data;
      conn.outbound?.close();
      deps.logger.info('Station disconnected', { chargePointId: conn.chargePointId, code, reason });
      tap.disconnected(conn, code, reason);
      // Only the socket the registry still points at may tear the registration down: a replaced socket's
      // close must not disconnect its successor.
      if (live.get(conn.chargePointId) === ws) {
        live.delete(conn.chargePointId);
        notify('disconnected', conn);
        // Once the CALLs it had queued are done: nothing of this socket can write any more.
        void conn.queue.then(() => deps.ownership?.socketClosed(conn.chargePointId));
      }
    },
  };

  /** Several nodes: the claim (epoch in the database) comes before the connection event and any CALL. */
  async function claim(ws: ServerWebSocket<Connection>) {
    const conn = ws.data;
    try {
      await deps.ownership!.claim(conn.chargePointId);
    } catch (error) {
      deps.logger.error('Claiming the station for this node failed; closing its socket', { chargePointId: conn.chargePointId, error });
      conn.unclaimed = true;
      ws.close(1011, 'Try again');
      return;
    }
    if (live.get(conn.chargePointId) === ws) notify('connected', conn);
  }

  async function answer(conn: Connection, action: string, payload: unknown) {
    if (!hasAction(conn.version, action)) throw new CallError('NotImplemented', `Unknown action ${action}`);
    validatePayload(conn.version, action, 'req', payload);
    const handler = dispatch!.handlers[conn.version][action];
    if (!handler) throw new CallError('NotSupported', `${action} is not supported by this CSMS`);
    const response = await handler(station(conn), payload);
    try {
      validatePayload(conn.version, action, 'conf', response);
    } catch (error) {
      deps.logger.error('Our own OCPP answer failed its schema', { action, error });
      throw new CallError('InternalError', 'Internal error');
    }
    return response;
  }

  /** A failing listener must not take the socket handlers (and with them other stations) down. */
  function notify(event: keyof ConnectionEvents, conn: Connection) {
    try {
      dispatch!.events[event](station(conn));
    } catch (error) {
      deps.logger.error(`Station ${event} handling failed`, { chargePointId: conn.chargePointId, error });
    }
  }

  function settle(conn: Connection, id: string, outcome: { payload: unknown } | { code: string; description: string }) {
    if (!conn.outbound.settle(id, outcome)) deps.logger.warn('Answer to no pending call dropped', { chargePointId: conn.chargePointId, id });
  }

  function reject(ws: ServerWebSocket<Connection>, error: BadFrame) {
    const conn = ws.data;
    const now = deps.clock.now().getTime();
    if (now - conn.badFrames.since > 60_000) conn.badFrames = { count: 0, since: now };
    conn.badFrames.count += 1;
    tap.malformed(conn);
    // Unreadable ids are answered with "-1" (OCPP 2.0.1 part 4 §4.2.3).
    send(ws, errorFrame(error.id ?? '-1', callErrorCode(conn.version, error.kind), error.message));
    if (conn.badFrames.count > BAD_FRAME_BUDGET) ws.close(1008, 'Too many malformed frames');
  }

  return {
    /** Connects the gateway to what handles stations' CALLs and connection events; once, before listening. */
    attach(to: { handlers: Record<OcppVersion, HandlerTable>; events: ConnectionEvents }) {
      dispatch = to;
    },
    upgrade,
    websocket,
    isConnected: (chargePointId: string) => live.has(chargePointId),
    /** Sends our CALL to a connected station; rejects with OutboundCallError (closed, timeout, call-error, …). */
    call(chargePointId: string, action: string, payload: unknown, timeoutMs = OUTBOUND_TIMEOUT_MS) {
      const ws = live.get(chargePointId);
      if (!ws) return Promise.reject(new OutboundCallError('closed', 'Station is not connected'));
      return ws.data.outbound.call(action, payload, timeoutMs).then(
        (result) => {
          tap.called(ws.data, action, 'result');
          return result;
        },
        (error: unknown) => {
          tap.called(ws.data, action, 'error');
          throw error;
        },
      );
    },
    disconnect(chargePointId: string, reason: string) {
      live.get(chargePointId)?.close(1000, reason);
    },
    closeAll() {
      for (const ws of live.values()) ws.close(1001, 'Server shutting down');
    },
  };
}

const station = (conn: Connection): Station => ({ chargePointId: conn.chargePointId, version: conn.version });

export type OcppGateway = ReturnType<typeof createOcppGateway>;
