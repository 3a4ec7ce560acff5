import type { OcppVersion } from '../model/ocpp-version.ts';

/** The connection a frame belongs to (the gateway's Station). */
export interface Station {
  chargePointId: string;
  version: OcppVersion;
}

/**
 * What the gateway tells operations about its traffic (metrics, the protocol trace). Called on the hot path, so
 * implementations only count or queue; they never do I/O inline.
 */
export interface GatewayTap {
  connected(station: Station): void;
  /** `code`/`reason` as the WebSocket closed. */
  disconnected(station: Station, code: number, reason: string): void;
  /** Every text frame as it crossed the socket, in either direction. */
  frame(station: Station, direction: 'in' | 'out', text: string): void;
  /** Our reply to a station's CALL, and how long it took from the frame's arrival. */
  answered(station: Station, action: string, outcome: 'result' | 'error', seconds: number): void;
  /** A frame that was not a readable OCPP-J message. */
  malformed(station: Station): void;
  /** How one of our CALLs to the station ended. */
  called(station: Station, action: string, outcome: 'result' | 'error'): void;
}

const nothing = () => {};

export const silentTap: GatewayTap = { connected: nothing, disconnected: nothing, frame: nothing, answered: nothing, malformed: nothing, called: nothing };

/** Several taps as one (metrics and trace both listen). */
export function taps(...all: GatewayTap[]): GatewayTap {
  if (all.length === 1) return all[0]!;
  return {
    connected: (s) => all.forEach((t) => t.connected(s)),
    disconnected: (s, code, reason) => all.forEach((t) => t.disconnected(s, code, reason)),
    frame: (s, direction, text) => all.forEach((t) => t.frame(s, direction, text)),
    answered: (s, action, outcome, seconds) => all.forEach((t) => t.answered(s, action, outcome, seconds)),
    malformed: (s) => all.forEach((t) => t.malformed(s)),
    called: (s, action, outcome) => all.forEach((t) => t.called(s, action, outcome)),
  };
}
