/**
 * The developer page (dev mode only): GET /dev (one self-contained HTML document, no external assets),
 * GET /dev/snapshot (the JSON it shows) and GET /dev/events (Server-Sent Events: a `snapshot` event at connect
 * and whenever the snapshot changes). Hidden from the OpenAPI document.
 */
import { readFileSync } from 'node:fs';
import { Elysia } from 'elysia';
import { systemClock, type Clock } from '../../lib/clock.ts';
import { devSnapshot, type DevSources } from './dev-snapshot.ts';

export interface DevRoutesOptions {
  /** How often the sources are read while someone listens on /dev/events (default 500 ms). */
  pollMs?: number;
  /** Interval of the keep-alive comments on /dev/events (default 5 s, under Bun's 10 s idle timeout). */
  keepAliveMs?: number;
  /** A hub of your own (tests watch its subscriber count); by default one is made from `sources`. */
  hub?: SnapshotHub;
}

/**
 * Reads the snapshot every `pollMs` while anyone listens, once for all listeners, and tells them only when its
 * JSON changed. Stops polling when the last listener leaves. The polling runs on a Clock (a test moves it).
 */
export class SnapshotHub {
  private readonly listeners = new Set<(json: string) => void>();
  private last: string | undefined;
  private cancelPoll: (() => void) | undefined;

  constructor(
    private readonly read: () => string,
    private readonly pollMs = 500,
    private readonly clock: Clock = systemClock,
  ) {}

  static of(sources: DevSources, pollMs?: number, clock?: Clock) {
    return new SnapshotHub(() => JSON.stringify(devSnapshot(sources)), pollMs, clock);
  }

  get subscriberCount() {
    return this.listeners.size;
  }

  /** The snapshot now (listeners hear about it too when it changed). */
  current(): string {
    this.tick();
    return this.last ?? '{}';
  }

  /** Calls `listener` at once with the current snapshot, then on every change; returns the unsubscribe. */
  subscribe(listener: (json: string) => void): () => void {
    const json = this.current();
    this.listeners.add(listener);
    listener(json);
    if (!this.cancelPoll) this.poll();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.cancelPoll) {
        this.cancelPoll();
        this.cancelPoll = undefined;
      }
    };
  }

  /** The next read, `pollMs` from now; it arms the one after while anyone still listens. */
  private poll() {
    this.cancelPoll = this.clock.at(this.clock.now().getTime() + this.pollMs, () => {
      this.cancelPoll = undefined;
      this.tick();
      if (this.listeners.size > 0 && !this.cancelPoll) this.poll();
    });
  }

  private tick() {
    let json: string;
    try {
      json = this.read();
    } catch (error) {
      // devSnapshot reports failing sections itself; this is a snapshot that cannot even be serialised.
      json = JSON.stringify({ problems: [`snapshot: ${error instanceof Error ? error.message : String(error)}`] });
    }
    if (json === this.last) return;
    this.last = json;
    for (const listener of [...this.listeners]) listener(json);
  }
}

let page: string | undefined;
/** The page, read once from dev-page.html next to this file. */
export function devPageHtml(): string {
  page ??= readFileSync(new URL('./dev-page.html', import.meta.url), 'utf8');
  return page;
}

const noStore = { 'cache-control': 'no-store' };

export function devRoutes(sources: DevSources, options: DevRoutesOptions = {}) {
  const hub = options.hub ?? SnapshotHub.of(sources, options.pollMs);
  const keepAliveMs = options.keepAliveMs ?? 5000;
  const html = devPageHtml();
  return new Elysia()
    .get('/dev', () => new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', ...noStore } }), { detail: { hide: true } })
    .get('/dev/snapshot', () => new Response(hub.current(), { headers: { 'content-type': 'application/json', ...noStore } }), { detail: { hide: true } })
    .get('/dev/events', ({ request }) => eventStream(hub, request.signal, keepAliveMs), { detail: { hide: true } });
}

/** A `text/event-stream` of `snapshot` events; unsubscribes when the client goes (abort or cancel). */
function eventStream(hub: SnapshotHub, signal: AbortSignal, keepAliveMs: number): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let unsubscribe = () => {};
      let keepAlive: ReturnType<typeof setInterval> | undefined;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(keepAlive);
        signal.removeEventListener('abort', cleanup);
        try {
          controller.close();
        } catch {}
      };
      // JSON.stringify never emits a raw newline, so one `data:` line carries the whole snapshot.
      send('retry: 2000\n\n');
      unsubscribe = hub.subscribe((json) => send(`event: snapshot\ndata: ${json}\n\n`));
      if (closed) return unsubscribe();
      keepAlive = setInterval(() => send(': keep-alive\n\n'), keepAliveMs);
      if (signal.aborted) cleanup();
      else signal.addEventListener('abort', cleanup);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
  });
}
