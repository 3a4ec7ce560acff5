import type { Server } from 'bun';
import type { Logger } from '../../lib/logger.ts';
import type { Secrets } from '../../lib/secrets.ts';
import type { OcppVersion } from '../../model/ocpp-version.ts';
import { authenticateStation, type StationCredentialsLookup } from './authenticate-station.ts';
import type { AuthFailureThrottle } from './failure-throttle.ts';
import { negotiateProtocol } from './negotiate-protocol.ts';

const PATH = /^\/ocpp\/([^/]+)\/?$/;

/**
 * The HTTP side of a station's WebSocket, all before the 101: the path, who it is (authenticated before anything
 * about the id is revealed; failures held back by the throttle) and the subprotocol. The returned function answers
 * undefined for a path that is not OCPP's, null once upgraded (Bun wants no response then), else the refusal.
 */
export function stationUpgrade<D extends { chargePointId: string; version: OcppVersion }>(deps: {
  stations: StationCredentialsLookup;
  secrets: Secrets;
  logger: Logger;
  throttle: AuthFailureThrottle;
  /** False until the actor system is attached: nothing could handle the station yet. */
  ready: () => boolean;
}) {
  return (request: Request, server: Server<D>): Response | Promise<Response> | null | undefined => {
    const match = PATH.exec(new URL(request.url).pathname);
    if (!match) return undefined;
    if (!deps.ready()) return new Response('Not ready', { status: 503 });
    let chargePointId: string;
    try {
      chargePointId = decodeURIComponent(match[1]!);
    } catch {
      return new Response('Bad charge point identity', { status: 400 });
    }
    if (!authenticateStation(request.headers.get('authorization'), chargePointId, deps.stations, deps.secrets)) {
      const refusal = new Response('Unauthorized', { status: 401, headers: { 'www-authenticate': 'Basic realm="OCPP"' } });
      const hold = (delayMs: number) => {
        deps.logger.warn('Station authentication failed', { chargePointId, delayMs });
        return delayMs === 0 ? refusal : Bun.sleep(delayMs).then(() => refusal);
      };
      const delayMs = deps.throttle.fail(server.requestIP(request)?.address ?? 'unknown', chargePointId);
      return typeof delayMs === 'number' ? hold(delayMs) : delayMs.then(hold, () => refusal);
    }
    const version = negotiateProtocol(request.headers.get('sec-websocket-protocol'));
    if (!version) return new Response('No supported OCPP subprotocol offered (ocpp2.0.1, ocpp1.6)', { status: 400 });
    const data = { chargePointId, version } as D;
    // `data` is the gateway's connection record (D); Bun's conditional parameter type cannot see that through a generic.
    if (server.upgrade(request, { data, headers: { 'sec-websocket-protocol': version } } as never)) return null;
    return new Response('Expected a WebSocket upgrade', { status: 426 });
  };
}
