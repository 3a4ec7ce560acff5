import type { ServerWebSocket, WebSocketHandler } from 'bun';
import type { Durability } from '../../actors/system/group-commit.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Secrets } from '../lib/secrets.ts';
import type { OcppVersion } from '../model/ocpp-version.ts';
import type { Call, Connection } from './gateway-connection.ts';
import { silentTap, type GatewayTap, type Station } from './gateway-tap.ts';
import { CallError, callErrorCode } from './rpc/call-errors.ts';
import { BadFrame, errorFrame, parseFrame, resultFrame } from './rpc/frame.ts';
import { OutboundCallError, OutboundCalls } from './rpc/outbound-calls.ts';
import { check, schemasOf, type ActionSchemas } from './rpc/schema-validation.ts';
import type { StationCredentialsLookup } from './upgrade/authenticate-station.ts';
import { FailureThrottle, type AuthFailureThrottle } from './upgrade/failure-throttle.ts';
import { stationUpgrade } from './upgrade/station-upgrade.ts';

export type { Station };

/**
 * A station's CALL: the payload has passed the official schema (the answer is checked against it too where
 * OCPP_CHECK_REPLIES is on: tests and `bun dev`). A synchronous handler is answered in the same turn; an
 * asynchronous one holds the station's later CALLs back until it is done.
 */
export type ActionHandler = (station: Station, payload: any) => unknown | Promise<unknown>;
export type HandlerTable = Partial<Record<string, ActionHandler>>;

export interface ConnectionEvents {
  connected(station: Station): void;
  disconnected(station: Station): void;
}

const committedAtOnce: Durability = { mark: () => 0, settled: () => undefined, onSettled: () => false };

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
  /** Check our own CALLRESULTs against the official schema (a bug of ours becomes an InternalError): tests and dev. */
  checkReplies?: boolean;
}) {
  const live = new Map<string, ServerWebSocket<Connection>>();
  const tap = deps.tap ?? silentTap;
  // Where stations' CALLs and connections go: the actor system, attached once it exists (before the server listens).
  let dispatch: { handlers: Record<OcppVersion, HandlerTable>; events: ConnectionEvents; durability?: Durability } | undefined;
  const send = (ws: ServerWebSocket<Connection>, frame: string) => {
    tap.frame(ws.data, 'out', frame);
    ws.send(frame);
  };

  // The failure window runs on our Clock; the refusal's hold itself (below) stays a real delay on the socket.
  const throttle = deps.throttle ?? new FailureThrottle(() => deps.clock.now().getTime());

  const upgrade = stationUpgrade<Connection>({ ...deps, throttle, ready: () => dispatch !== undefined });

  const websocket: WebSocketHandler<Connection> = {
    maxPayloadLength: MAX_FRAME_BYTES,
    // Bun pings a connection idle this long and closes it if nothing answers: liveness within a minute (reliability rule 6).
    idleTimeout: 60,
    sendPings: true,
    open(ws) {
      const conn = ws.data;
      conn.station = { chargePointId: conn.chargePointId, version: conn.version };
      const previous = live.get(conn.chargePointId);
      live.set(conn.chargePointId, ws);
      if (previous) {
        deps.logger.warn('Station connection replaced by a newly authenticated one', { chargePointId: conn.chargePointId });
        previous.close(4000, 'Replaced by a new connection');
      }
      deps.logger.info('Station connected', { chargePointId: conn.chargePointId, protocol: conn.version, takeover: previous !== undefined });
      tap.connected(conn);
      if (!deps.ownership) return notify('connected', conn);
      conn.waiting = [];
      void claim(ws).then(() => resume(ws));
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
      if (conn.waiting) return void conn.waiting.push({ call: frame, arrived });
      if (!handle(ws, frame, arrived)) conn.waiting = [];
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
        if (deps.ownership) {
          const closed = () => deps.ownership!.socketClosed(conn.chargePointId);
          if (conn.waiting) conn.drained = closed;
          else queueMicrotask(closed);
        }
      }
    },
  };

  /**
   * Validates one CALL and runs its handler. True when it is answered already; false when it is held (an
   * asynchronous handler, or an answer waiting for the commit of what its handler wrote): `resume` runs once it is
   * answered.
   */
  function handle(ws: ServerWebSocket<Connection>, call: Call, arrived: number): boolean {
    const conn = ws.data;
    const schemas = schemasOf(conn.version, call.action);
    const durability = dispatch!.durability ?? committedAtOnce;
    const since = durability.mark();
    let result: unknown;
    try {
      if (!schemas) throw new CallError('NotImplemented', `Unknown action ${call.action}`);
      check(schemas.req, call.payload, conn.version, call.action, call.mayHoldUnsafeNumbers);
      const handler = dispatch!.handlers[conn.version][call.action];
      if (!handler) throw new CallError('NotSupported', `${call.action} is not supported by this CSMS`);
      result = handler(conn.station, call.payload);
    } catch (error) {
      reply(ws, call, arrived, schemas, { error });
      return true;
    }
    if (!(result instanceof Promise)) return !afterCommit(ws, call, arrived, schemas, result, durability, since);
    result.then(
      (payload) => {
        if (!afterCommit(ws, call, arrived, schemas, payload, durability, since)) resume(ws);
      },
      (error: unknown) => answered(ws, call, arrived, schemas, { error }),
    );
    return false;
  }

  /**
   * Persist, then acknowledge: a result waits for the group commit holding what its handler wrote. False when
   * that is committed already (the caller answers at once); true when the answer goes out after the commit.
   */
  function afterCommit(ws: ServerWebSocket<Connection>, call: Call, arrived: number, schemas: ActionSchemas | undefined, payload: unknown, durability: Durability, since: number): boolean {
    const held = durability.onSettled(since, (failed) => answered(ws, call, arrived, schemas, failed ? { error: failed } : { payload }));
    if (!held) reply(ws, call, arrived, schemas, { payload });
    return held;
  }

  /** A held CALL's answer: sent, then the station's next CALLs are handled. */
  function answered(ws: ServerWebSocket<Connection>, call: Call, arrived: number, schemas: ActionSchemas | undefined, outcome: { payload: unknown } | { error: unknown }) {
    reply(ws, call, arrived, schemas, outcome);
    resume(ws);
  }

  /** The station's held CALL (or the claim) is done: its waiting CALLs are handled in arrival order, until one is held. */
  function resume(ws: ServerWebSocket<Connection>) {
    const conn = ws.data;
    const waiting = conn.waiting!;
    // A socket whose claim failed is closing: its CALLs go unanswered (the station retries, on another node).
    if (conn.unclaimed) waiting.length = 0;
    while (waiting.length > 0) {
      const next = waiting.shift()!;
      if (!handle(ws, next.call, next.arrived)) return;
    }
    conn.waiting = undefined;
    conn.drained?.();
  }

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

  /** The one place where a handler's outcome becomes the CALLRESULT or CALLERROR frame the station is sent. */
  function reply(ws: ServerWebSocket<Connection>, call: Call, arrived: number, schemas: ActionSchemas | undefined, outcome: { payload: unknown } | { error: unknown }) {
    const conn = ws.data;
    if ('payload' in outcome && deps.checkReplies) {
      try {
        check(schemas?.conf, outcome.payload, conn.version, call.action);
      } catch (problem) {
        deps.logger.error('Our own OCPP answer failed its schema', { action: call.action, error: problem });
        outcome = { error: new CallError('InternalError', 'Internal error') };
      }
    }
    if ('payload' in outcome) send(ws, resultFrame(call.id, outcome.payload));
    else {
      const { error } = outcome;
      if (!(error instanceof CallError)) deps.logger.error('OCPP handler failed', { chargePointId: conn.chargePointId, action: call.action, error });
      const e = error instanceof CallError ? error : new CallError('InternalError', 'Internal error');
      send(ws, errorFrame(call.id, callErrorCode(conn.version, e.kind), e.message, e.details));
    }
    tap.answered(conn, call.action, 'payload' in outcome ? 'result' : 'error', (performance.now() - arrived) / 1000);
  }

  /** A failing listener must not take the socket handlers (and with them other stations) down. */
  function notify(event: keyof ConnectionEvents, conn: Connection) {
    try {
      dispatch!.events[event](conn.station);
    } catch (error) {
      deps.logger.error(`Station ${event} handling failed`, { chargePointId: conn.chargePointId, error });
    }
  }

  function settle(conn: Connection, id: string, outcome: { payload: unknown } | { code: string; description: string }) {
    if (!conn.outbound?.settle(id, outcome)) deps.logger.warn('Answer to no pending call dropped', { chargePointId: conn.chargePointId, id });
  }

  function reject(ws: ServerWebSocket<Connection>, error: BadFrame) {
    const conn = ws.data;
    const now = deps.clock.now().getTime();
    if (!conn.badFrames || now - conn.badFrames.since > 60_000) conn.badFrames = { count: 0, since: now };
    conn.badFrames.count += 1;
    tap.malformed(conn);
    // Unreadable ids are answered with "-1" (OCPP 2.0.1 part 4 §4.2.3).
    send(ws, errorFrame(error.id ?? '-1', callErrorCode(conn.version, error.kind), error.message));
    if (conn.badFrames.count > BAD_FRAME_BUDGET) ws.close(1008, 'Too many malformed frames');
  }

  return {
    /** Connects the gateway to what handles stations' CALLs and connection events; once, before listening. */
    attach(to: { handlers: Record<OcppVersion, HandlerTable>; events: ConnectionEvents; durability?: Durability }) {
      dispatch = to;
    },
    upgrade,
    websocket,
    isConnected: (chargePointId: string) => live.has(chargePointId),
    /** Sends our CALL to a connected station; rejects with OutboundCallError (closed, timeout, call-error, …). */
    call(chargePointId: string, action: string, payload: unknown, timeoutMs = OUTBOUND_TIMEOUT_MS) {
      const ws = live.get(chargePointId);
      if (!ws) return Promise.reject(new OutboundCallError('closed', 'Station is not connected'));
      const conn = ws.data;
      conn.outbound ??= new OutboundCalls(conn.version, (frame) => send(ws, frame), deps.clock);
      return conn.outbound.call(action, payload, timeoutMs).then(
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

export type OcppGateway = ReturnType<typeof createOcppGateway>;
