import type { Clock } from '../../lib/clock.ts';
import type { OcppVersion } from '../../model/ocpp-version.ts';
import { callFrame } from './frame.ts';
import { validatePayload } from './schema-validation.ts';

export class OutboundCallError extends Error {
  constructor(
    readonly reason: 'timeout' | 'call-error' | 'closed' | 'invalid-response',
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface Pending {
  action: string;
  payload: unknown;
  timeoutMs: number;
  resolve: (payload: unknown) => void;
  reject: (error: OutboundCallError) => void;
}

/**
 * Our CALLs to one station: at most one outstanding (OCPP-J §4.1.1), the rest queued in order, each with a
 * timeout. The station's own CALLs are handled elsewhere and never wait for these. When the socket goes away
 * every waiting call fails at once, so a command never hangs on a dead connection. Timeouts run on the Clock
 * port, so a test moves time past them instead of waiting.
 */
export class OutboundCalls {
  private readonly queue: Pending[] = [];
  private inFlight?: Pending & { id: string; cancelTimeout: () => void };
  private closed = false;

  constructor(
    private readonly version: OcppVersion,
    private readonly send: (frame: string) => void,
    private readonly clock: Clock,
  ) {}

  call(action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    if (this.closed) return Promise.reject(new OutboundCallError('closed', 'Station is not connected'));
    validatePayload(this.version, action, 'req', payload);
    return new Promise((resolve, reject) => {
      this.queue.push({ action, payload, timeoutMs, resolve, reject });
      this.next();
    });
  }

  /** A CALLRESULT or CALLERROR from the station; false when it answers nothing we asked (late or unknown id). */
  settle(id: string, outcome: { payload: unknown } | { code: string; description: string }): boolean {
    const call = this.inFlight;
    if (!call || call.id !== id) return false;
    call.cancelTimeout();
    this.inFlight = undefined;
    if ('code' in outcome) call.reject(new OutboundCallError('call-error', `${call.action}: ${outcome.code} ${outcome.description}`.trim(), outcome.code));
    else {
      try {
        validatePayload(this.version, call.action, 'conf', outcome.payload);
        call.resolve(outcome.payload);
      } catch (error) {
        call.reject(new OutboundCallError('invalid-response', `${call.action} answer: ${(error as Error).message}`));
      }
    }
    this.next();
    return true;
  }

  close() {
    this.closed = true;
    const failed = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    this.inFlight?.cancelTimeout();
    this.inFlight = undefined;
    for (const call of failed) call.reject(new OutboundCallError('closed', `${call.action}: connection closed`));
  }

  private next() {
    if (this.inFlight || this.closed) return;
    const call = this.queue.shift();
    if (!call) return;
    const id = crypto.randomUUID();
    const cancelTimeout = this.clock.at(this.clock.now().getTime() + call.timeoutMs, () => {
      if (this.inFlight?.id !== id) return;
      this.inFlight = undefined;
      call.reject(new OutboundCallError('timeout', `${call.action}: no answer within ${call.timeoutMs} ms`));
      this.next();
    });
    this.inFlight = { ...call, id, cancelTimeout };
    this.send(callFrame(id, call.action, call.payload));
  }
}
