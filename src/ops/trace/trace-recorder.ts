/**
 * The protocol trace recorder. Taps (OCPP gateway, OCPI in and out, payments) only push a record onto an array;
 * a timer writes the array every ~250 ms (or sooner once it holds a batch's worth) in one SQLite transaction,
 * where the frames are parsed, redacted and linked (trace-writer.ts). Rows older than the retention, or beyond
 * the row cap, are deleted oldest first.
 */
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { GatewayTap } from '../../ocpp/gateway-tap.ts';
import { silentTap } from '../../ocpp/gateway-tap.ts';
import type { OcpiObservation } from '../../ocpi/client/ocpi-exchange.ts';
import type { TraceRepo } from '../../storage/sqlite/trace.repo.ts';
import { traceWriter, type TraceRecord, type TraceResolvers } from './trace-writer.ts';

export interface TraceSettings {
  retentionHours: number;
  maxRows: number;
  flushMs?: number;
  batchSize?: number;
  pruneMs?: number;
}

/** A backlog beyond this (the disk cannot keep up) is dropped and counted rather than held in memory. */
const MAX_QUEUE = 200_000;

export interface TraceRecorderDeps {
  repo: TraceRepo;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  logger: Logger;
  resolvers: TraceResolvers;
  settings: TraceSettings;
}

export function createTraceRecorder({ repo, transact, clock, logger, resolvers, settings }: TraceRecorderDeps) {
  const flushMs = settings.flushMs ?? 250;
  const batchSize = settings.batchSize ?? 2000;
  const writer = traceWriter(repo, resolvers);
  let queue: TraceRecord[] = [];
  let dropped = 0;
  let soon: ReturnType<typeof setTimeout> | undefined;

  function push(record: TraceRecord) {
    if (queue.length >= MAX_QUEUE) {
      dropped++;
      return;
    }
    queue.push(record);
    // A full batch is written on the next turn of the event loop, never inside the caller.
    if (queue.length >= batchSize && !soon) soon = setTimeout(flush, 0);
  }

  function flush() {
    if (soon) clearTimeout(soon);
    soon = undefined;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    try {
      transact(() => writer.write(batch));
      repo.deleteBeyond(settings.maxRows);
    } catch (error) {
      // The trace is a diagnostic: losing a batch must never take the service down.
      logger.error('Writing the protocol trace failed', { records: batch.length, error: error as Error });
    }
    if (dropped > 0) {
      logger.warn('Protocol trace records dropped: the writer fell behind', { dropped });
      dropped = 0;
    }
  }

  function prune() {
    flush();
    try {
      const old = repo.deleteOlderThan(clock.now().getTime() - settings.retentionHours * 3600_000);
      const excess = repo.deleteBeyond(settings.maxRows);
      return { old, excess };
    } catch (error) {
      logger.error('Pruning the protocol trace failed', { error: error as Error });
      return { old: 0, excess: 0 };
    }
  }

  const flushTimer = setInterval(flush, flushMs);
  const pruneTimer = setInterval(prune, settings.pruneMs ?? 60_000);
  flushTimer.unref?.();
  pruneTimer.unref?.();

  const tap: GatewayTap = {
    ...silentTap,
    frame: (station, direction, text) =>
      push({ kind: 'frame', atMs: clock.now().getTime(), perfMs: performance.now(), chargePointId: station.chargePointId, direction, text }),
  };

  return {
    tap,
    push,
    /** Outgoing OCPI calls, as ocpi-exchange.ts reports them. */
    outbound(o: OcpiObservation) {
      push({
        kind: 'ocpi',
        atMs: clock.now().getTime() - Math.round(o.durationMs),
        direction: 'out',
        to: o.to,
        method: o.method,
        url: o.url,
        module: moduleOfUrl(o.url),
        requestId: o.requestId,
        correlationId: o.correlationId,
        httpStatus: o.status,
        ocpiStatus: o.code,
        durationMs: o.durationMs,
        request: o.body,
        response: o.envelope,
        error: o.error,
      });
    },
    flush,
    /** Deletes rows past the retention and the cap (also runs every minute). */
    prune,
    stop() {
      clearInterval(flushTimer);
      clearInterval(pruneTimer);
      flush();
    },
  };
}

export type TraceRecorder = ReturnType<typeof createTraceRecorder>;

const MODULES = ['credentials', 'locations', 'sessions', 'cdrs', 'tariffs', 'tokens', 'commands', 'chargingprofiles', 'hubclientinfo'];

/** The OCPI module a partner's URL belongs to (their URLs are theirs to shape): a known module name in the path, else versions. */
export function moduleOfUrl(url: string): string {
  const segments = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0]!.split('/');
  return segments.find((s) => MODULES.includes(s.toLowerCase()))?.toLowerCase() ?? 'versions';
}
