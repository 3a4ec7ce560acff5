import { RPCClient } from 'ocpp-rpc';
import type { Random } from '../random.ts';
import type { SimClock } from '../sim-clock.ts';
import type { CallHandler, OcppProtocol } from './types.ts';
import { errorText, waitSim } from './wait.ts';

export interface LinkOptions {
  ocppUrl: string;
  id: string;
  protocol: OcppProtocol;
  clock: SimClock;
  random: Random;
  /** Read on every attempt: the CSMS may have changed it (1.6 AuthorizationKey, 2.0.1 BasicAuthPassword). */
  password(): string;
  handlers(): Record<string, CallHandler>;
  log(kind: string, message: string): void;
  /** On each new socket, before anything queued is sent: the boot. `signal` aborts when that socket closes. */
  onOpen(signal: AbortSignal): Promise<void>;
  /** Once queued messages went out: status resync and heartbeats, until `signal` aborts. */
  onOnline(signal: AbortSignal): void;
}

/** A CALLERROR (or our own payload refused by strict validation) carries an OCPP error code; a lost socket does not. */
const isCallError = (error: unknown): error is Error & { rpcErrorCode: string } =>
  typeof error === 'object' && error !== null && 'rpcErrorCode' in error;

/** Backoff between connection attempts: 5 s doubling to 5 min simulated, but never faster than 250 ms real. */
const BACKOFF_INITIAL_MS = 5_000;
const BACKOFF_MAX_MS = 300_000;
const BACKOFF_REAL_FLOOR_MS = 250;

/**
 * The station's OCPP-J connection: one ocpp-rpc client (strict mode, its own reconnect off) per socket, and our
 * own reconnect loop with backoff so that going offline can mean staying offline. Transaction messages are
 * `durable`: queued while offline (as real stations do) and sent, in order, right after the next boot.
 */
export class Link {
  private client: RPCClient | undefined;
  private wanted = false;
  private running: Promise<void> | undefined;
  /** Aborted when the station is sent offline or stopped: wakes the backoff wait. */
  private away = new AbortController();
  private isOnline = false;
  private readonly queue: { action: string; payload: object }[] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly o: LinkOptions) {}

  get online(): boolean {
    return this.isOnline;
  }

  /** Starts connecting (if not already); resolves once online, or once the station is sent away. */
  up(): Promise<void> {
    if (!this.wanted) {
      this.wanted = true;
      this.away = new AbortController();
    }
    const reached = new Promise<void>((resolve) => (this.isOnline ? resolve() : this.waiters.push(resolve)));
    this.running ??= this.run().finally(() => {
      this.running = undefined;
      this.release();
    });
    return reached;
  }

  /** Drops the socket (as a lost network does: no closing handshake) and stays away until `up()`. */
  async down(): Promise<void> {
    this.wanted = false;
    this.isOnline = false;
    this.away.abort();
    this.release();
    await this.client?.close({ force: true }).catch(() => undefined);
  }

  /** A CALL; undefined when refused or unanswered (logged). Durable messages are kept for later instead of lost. */
  async send<T>(action: string, payload: object, durable = false): Promise<T | undefined> {
    // Behind queued messages, a durable one waits its turn; the others are not worth sending late.
    if (!this.isOnline || !this.client || (durable && this.queue.length > 0)) {
      if (durable) this.queue.push({ action, payload });
      return undefined;
    }
    try {
      return (await this.client.call(action, payload)) as T;
    } catch (error) {
      if (isCallError(error)) this.o.log('error', `${action} refused: ${error.rpcErrorCode} ${error.message}`);
      else if (durable) {
        this.queue.push({ action, payload });
        this.o.log('queued', `${action} kept for after reconnecting (${errorText(error)})`);
      } else if (this.isOnline) this.o.log('error', `${action} not answered: ${errorText(error)}`);
      // Otherwise the socket went away under the call: that is the network's doing, and statuses are resent.
      else this.o.log('dropped', `${action} lost with the connection`);
      return undefined;
    }
  }

  /** A CALL during the boot, before the queue went out; throws like ocpp-rpc does. */
  async call<T>(action: string, payload: object): Promise<T> {
    if (!this.client) throw new Error('not connected');
    return (await this.client.call(action, payload)) as T;
  }

  private release() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private async run() {
    let attempt = 0;
    while (this.wanted) {
      const client = this.newClient();
      this.client = client;
      try {
        await client.connect();
      } catch (error) {
        this.client = undefined;
        if (!this.wanted) break;
        const backoff = this.backoff(attempt++);
        this.o.log('connect-failed', `cannot connect (${errorText(error)}); retrying in ${Math.round(backoff / 1000)} simulated s`);
        await waitSim(this.o.clock, backoff, this.away.signal);
        continue;
      }
      attempt = 0;
      await this.connected(client);
      this.client = undefined;
      // A moment before reconnecting, so a CSMS that drops us at once does not see a tight loop.
      if (this.wanted) await waitSim(this.o.clock, this.backoff(0), this.away.signal);
    }
  }

  private backoff(attempt: number): number {
    const simMs = Math.min(BACKOFF_INITIAL_MS * 2 ** attempt, BACKOFF_MAX_MS) * (0.75 + 0.5 * this.o.random.next());
    return Math.max(simMs, BACKOFF_REAL_FLOOR_MS * this.o.clock.factor);
  }

  /** One socket's life: boot, flush, online; resolves when it closes. */
  private async connected(client: RPCClient) {
    const socket = new AbortController();
    // Offline at once, before the calls the closing socket rejects hear about it.
    const closed = new Promise<void>((resolve) =>
      client.once('close', () => {
        this.isOnline = false;
        resolve();
      }),
    );
    if (!this.wanted) await client.close({ force: true }).catch(() => undefined);
    else {
      this.o.log('connected', `connected (${client.protocol})`);
      try {
        await this.o.onOpen(socket.signal);
        await this.flush(client);
        if (!socket.signal.aborted && this.wanted) {
          this.isOnline = true;
          this.release();
          this.o.onOnline(socket.signal);
        }
      } catch (error) {
        // A socket lost during the boot is just a lost connection; anything else is worth reporting.
        if (client.state === RPCClient.OPEN) {
          this.o.log('error', `after connecting: ${errorText(error)}`);
          await client.close({ force: true }).catch(() => undefined);
        }
      }
    }
    await closed;
    socket.abort();
    this.isOnline = false;
    this.o.log('disconnected', this.wanted ? 'connection lost' : 'offline');
  }

  /** Queued transaction messages, oldest first; a lost socket keeps the rest for the next time. */
  private async flush(client: RPCClient) {
    while (this.queue.length > 0) {
      const { action, payload } = this.queue[0]!;
      try {
        await client.call(action, payload);
      } catch (error) {
        if (!isCallError(error)) throw error;
        this.o.log('error', `queued ${action} refused: ${error.rpcErrorCode} ${error.message}`);
      }
      this.queue.shift();
    }
  }

  private newClient(): RPCClient {
    const client = new RPCClient({
      endpoint: this.o.ocppUrl,
      identity: this.o.id,
      password: this.o.password(),
      protocols: [this.o.protocol],
      strictMode: true,
      reconnect: false,
      callTimeoutMs: 15_000,
    } as ConstructorParameters<typeof RPCClient>[0]);
    for (const [action, handler] of Object.entries(this.o.handlers()))
      client.handle(action, async ({ params }) => {
        try {
          return await handler(params);
        } catch (error) {
          this.o.log('error', `handling ${action}: ${errorText(error)}`);
          throw error;
        }
      });
    // Our own invalid answers and the CSMS's invalid CALLs only surface here.
    client.on('strictValidationFailure', (failure: { error?: Error }) => this.o.log('error', `strict validation: ${errorText(failure.error ?? failure)}`));
    client.on('badMessage', ({ error }: { error?: Error }) => this.o.log('error', `bad message: ${errorText(error)}`));
    return client;
  }
}
