/**
 * Messages between nodes over Redis pub/sub: broadcasts to every other node (a station claimed, a delivery
 * channel to wake, caches to drop) and requests to one node with a reply and a timeout (a CALL for the station
 * whose socket that node holds). Pub/sub is at-most-once: everything sent here is either retried by its sender
 * (a request times out) or also found by a periodic check (lease renewal, delivery polling).
 */
import type { Logger } from '../lib/logger.ts';
import type { RedisLink } from './redis.ts';

type Message =
  | { kind: 'broadcast'; from: string; type: string; body: unknown }
  | { kind: 'request'; from: string; id: string; type: string; body: unknown }
  | { kind: 'reply'; id: string; ok: true; value: unknown }
  | { kind: 'reply'; id: string; ok: false; error: RemoteError };

export interface RemoteError {
  message: string;
  name?: string;
  reason?: string;
  code?: string;
}

export class RequestTimeout extends Error {}

export class NodeBus {
  private readonly listeners = new Map<string, (body: any, from: string) => void>();
  private readonly handlers = new Map<string, (body: any) => Promise<unknown>>();
  private readonly waiting = new Map<string, { resolve: (value: unknown) => void; reject: (error: RemoteError | Error) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly redis: RedisLink,
    readonly node: string,
    private readonly logger: Logger,
  ) {}

  async start() {
    const receive = (raw: string) => this.receive(raw);
    await Promise.all([this.redis.subscribe(this.channel('all'), receive), this.redis.subscribe(this.channel(`node:${this.node}`), receive)]);
  }

  on(type: string, listener: (body: any, from: string) => void) {
    this.listeners.set(type, listener);
  }

  handle(type: string, handler: (body: any) => Promise<unknown>) {
    this.handlers.set(type, handler);
  }

  broadcast(type: string, body: unknown) {
    this.publish('all', { kind: 'broadcast', from: this.node, type, body });
  }

  /** Asks node `to`; rejects with its error, or RequestTimeout when no answer comes within `timeoutMs`. */
  request(to: string, type: string, body: unknown, timeoutMs: number): Promise<unknown> {
    const id = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new RequestTimeout(`node ${to} did not answer ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      this.publish(`node:${to}`, { kind: 'request', from: this.node, id, type, body });
    });
  }

  close() {
    for (const { reject, timer } of this.waiting.values()) {
      clearTimeout(timer);
      reject(new Error('node shutting down'));
    }
    this.waiting.clear();
  }

  private receive(raw: string) {
    const message = JSON.parse(raw) as Message;
    if (message.kind === 'broadcast') {
      if (message.from !== this.node) this.listeners.get(message.type)?.(message.body, message.from);
    } else if (message.kind === 'request') void this.answer(message);
    else {
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      clearTimeout(waiter.timer);
      this.waiting.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(message.error);
    }
  }

  private async answer(request: Extract<Message, { kind: 'request' }>) {
    const handler = this.handlers.get(request.type);
    let reply: Message;
    try {
      if (!handler) throw new Error(`no handler for ${request.type}`);
      reply = { kind: 'reply', id: request.id, ok: true, value: await handler(request.body) };
    } catch (error) {
      const e = error as Error & { reason?: string; code?: string };
      reply = { kind: 'reply', id: request.id, ok: false, error: { message: e.message, name: e.name, ...(e.reason ? { reason: e.reason } : {}), ...(e.code ? { code: e.code } : {}) } };
    }
    this.publish(`node:${request.from}`, reply);
  }

  private publish(channel: string, message: Message) {
    this.redis.commands.publish(this.channel(channel), JSON.stringify(message)).catch((error: Error) => this.logger.warn('Publishing to other nodes failed', { error: error.message }));
  }

  private channel(name: string) {
    return `${this.redis.prefix}:bus:${name}`;
  }
}
