/**
 * The protocol trace recorder. Taps (OCPP gateway, OCPI in and out, payments) only append to a batch (flat
 * columns, trace-batch.ts); every ~250 ms (or sooner once it holds a batch's worth) the batch is posted to the
 * trace worker (src/composition/trace-worker.ts), which parses, redacts, links and inserts it off the main thread, on
 * its own connection (on SQLite, into the trace's own file: trace.repo.ts). Rows older than the retention, or beyond
 * the row cap, are deleted there too, oldest first. A `:memory:` database cannot be opened by a second connection: there the batches are written on
 * the main thread (tests and tools only; the service runs on a file).
 */
import { epochMs, type Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { GatewayTap } from '../../ocpp/gateway-tap.ts';
import { silentTap } from '../../ocpp/gateway-tap.ts';
import type { OcpiObservation } from '../../ocpi/client/ocpi-exchange.ts';
import type { TraceRepo } from '../../storage/sqlite/trace.repo.ts';
import { BatchBuilder, decodeBatch, recordsIn, type EncodedBatch } from './trace-batch.ts';
import { traceWriter, type TraceRecord, type TraceResolvers } from './trace-writer.ts';
import { workerSink, type Sink } from './trace-worker-sink.ts';

export interface TraceSettings {
  retentionHours: number;
  maxRows: number;
  flushMs?: number;
  batchSize?: number;
  pruneMs?: number;
  maxBacklog?: number;
}

/**
 * Records not yet committed (queued here, or posted and not yet answered by the worker) beyond which new ones are
 * dropped and counted: the worker yields the CPU to the station path (trace-worker-sink.ts), so on a saturated node
 * it falls behind, and the trace gives way rather than memory or the stations.
 */
const MAX_BACKLOG = 50_000;

export interface TraceRecorderDeps {
  repo: TraceRepo;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  logger: Logger;
  resolvers: TraceResolvers;
  settings: TraceSettings;
  /** Records dropped since the last call (the backlog was full), for the metrics. */
  onDropped?: (records: number) => void;
}

export function createTraceRecorder({ repo, transact, clock, logger, resolvers, settings, onDropped }: TraceRecorderDeps) {
  const flushMs = settings.flushMs ?? 250;
  const batchSize = settings.batchSize ?? 2000;
  const sink = repo.path === ':memory:' ? inThreadSink(repo, transact, resolvers, settings, logger) : workerSink(repo, settings, logger);
  const nowMs = epochMs(clock);
  let batch = new BatchBuilder();
  let dropped = 0;
  let soon: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const maxBacklog = settings.maxBacklog ?? MAX_BACKLOG;
  const full = () => {
    if (batch.size + sink.backlog() < maxBacklog) return false;
    dropped++;
    return true;
  };
  // A full batch is posted on the next turn of the event loop, never inside the caller.
  const counted = () => {
    if (batch.size >= batchSize && !soon) soon = setTimeout(() => void postBatch(false).catch(() => undefined), 0);
  };

  function push(record: TraceRecord) {
    if (stopped || full()) return;
    batch.record(record);
    counted();
  }

  /**
   * Posts what is queued; resolves once everything pushed before the call is committed. The timer's batches are
   * `urgent: false`: the worker may hold them to commit several together (one commit per second rewrites each page
   * of the station index once, not once per batch); an explicit flush() is committed at once, with what was held.
   */
  function flush(): Promise<void> {
    return postBatch(true);
  }

  function postBatch(urgent: boolean): Promise<void> {
    if (soon) clearTimeout(soon);
    soon = undefined;
    if (dropped > 0) {
      logger.warn('Protocol trace records dropped: the writer fell behind', { dropped });
      onDropped?.(dropped);
      dropped = 0;
    }
    if (stopped) return Promise.resolve();
    let partnerOf: ReturnType<TraceResolvers['partnersForBatch']> | undefined;
    const taken = batch.take((record) => {
      // Outgoing OCPI calls are named after the partner here, once per batch (the partners live on this thread).
      if (record.kind !== 'ocpi' || record.direction !== 'out' || record.partnerId) return record;
      partnerOf ??= resolvers.partnersForBatch();
      return { ...record, partnerId: partnerOf(record.url, record.to) };
    });
    batch = new BatchBuilder();
    return sink.write(taken, urgent);
  }

  /** Deletes rows past the retention and the cap (also runs every minute). */
  function prune(): Promise<{ old: number; excess: number }> {
    void flush().catch(() => undefined);
    return sink.prune(clock.now().getTime() - settings.retentionHours * 3600_000);
  }

  const flushTimer = setInterval(() => void postBatch(false).catch(() => undefined), flushMs);
  const pruneTimer = setInterval(() => void prune().catch(() => undefined), settings.pruneMs ?? 60_000);
  flushTimer.unref?.();
  pruneTimer.unref?.();

  const tap: GatewayTap = {
    ...silentTap,
    frame: (station, direction, text) => {
      if (stopped || full()) return;
      batch.frame(station.chargePointId, direction, text, nowMs(), performance.now());
      counted();
    },
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
    prune,
    /** Writes what is left and ends the worker; synchronous, so the service's close() stays so. */
    stop() {
      if (stopped) return;
      clearInterval(flushTimer);
      clearInterval(pruneTimer);
      void flush().catch(() => undefined);
      stopped = true;
      sink.stop();
    },
  };
}

/** Batches written on the calling thread, each in one transaction (a `:memory:` database): no backlog. */
function inThreadSink(repo: TraceRepo, transact: <T>(fn: () => T) => T, resolvers: TraceResolvers, settings: TraceSettings, logger: Logger): Sink {
  const writer = traceWriter(repo, resolvers);
  return {
    write(batch) {
      const records = recordsIn(batch);
      if (records === 0) return Promise.resolve();
      try {
        transact(() => writer.write([...decodeBatch(batch)]));
        repo.deleteBeyond(settings.maxRows);
        return Promise.resolve();
      } catch (error) {
        // The trace is a diagnostic: losing a batch must never take the service down.
        logger.error('Writing the protocol trace failed', { records, error: error as Error });
        return Promise.reject(error);
      }
    },
    prune(beforeMs) {
      try {
        return Promise.resolve({ old: repo.deleteOlderThan(beforeMs), excess: repo.deleteBeyond(settings.maxRows) });
      } catch (error) {
        logger.error('Pruning the protocol trace failed', { error: error as Error });
        return Promise.reject(error);
      }
    },
    stop() {},
    backlog: () => 0,
  };
}

export type TraceRecorder = ReturnType<typeof createTraceRecorder>;

const MODULES = ['credentials', 'locations', 'sessions', 'cdrs', 'tariffs', 'tokens', 'commands', 'chargingprofiles', 'hubclientinfo'];

/** The OCPI module a partner's URL belongs to (their URLs are theirs to shape): a known module name in the path, else versions. */
export function moduleOfUrl(url: string): string {
  const segments = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0]!.split('/');
  return segments.find((s) => MODULES.includes(s.toLowerCase()))?.toLowerCase() ?? 'versions';
}
