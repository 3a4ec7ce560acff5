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

/**
 * Several taps as one (metrics and trace both listen). A tap that ignores an event (silentTap's) is not called for
 * it: `frame` runs twice per station message, and only the trace records frames.
 */
export function taps(...all: GatewayTap[]): GatewayTap {
  const each = <K extends keyof GatewayTap>(event: K): GatewayTap[K] => {
    const listening = all.map((tap) => tap[event]).filter((listener) => listener !== silentTap[event]) as ((...args: unknown[]) => void)[];
    if (listening.length === 0) return silentTap[event];
    if (listening.length === 1) return listening[0] as GatewayTap[K];
    return ((...args: unknown[]) => {
      for (const listener of listening) listener(...args);
    }) as GatewayTap[K];
  };
  return {
    connected: each('connected'),
    disconnected: each('disconnected'),
    frame: each('frame'),
    answered: each('answered'),
    malformed: each('malformed'),
    called: each('called'),
  };
}
