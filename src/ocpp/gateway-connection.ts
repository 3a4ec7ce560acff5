import type { Station } from './gateway-tap.ts';
import type { Frame } from './rpc/frame.ts';
import type { OutboundCalls } from './rpc/outbound-calls.ts';

export type Call = Extract<Frame, { type: 'call' }>;

/** Kept per socket for as long as the station is connected: what most stations never need is made on first use. */
export interface Connection extends Station {
  /** What handlers and listeners are given: made once per connection, not per frame. */
  station: Station;
  /** Our CALLs to the station; made by the first one. */
  outbound?: OutboundCalls;
  /**
   * Inbound CALLs are handled one after another, in arrival order: those that arrive while one of this station
   * is still held (its handler runs asynchronously, or its answer waits for the commit; or the claim runs) wait
   * here. Undefined while none is held.
   */
  waiting: { call: Call; arrived: number }[] | undefined;
  /** Made by the first malformed frame. */
  badFrames?: { count: number; since: number };
  /** Several nodes, a closed socket: called once the CALLs held and waiting then are done. */
  drained?: () => void;
  /** Several nodes: the claim failed; the socket is closing and its CALLs go unanswered. */
  unclaimed?: boolean;
}
