/**
 * The Prometheus metrics (prom-client), in a registry of their own so each server in a process (tests run many)
 * counts only its own traffic. The OCPP message count is kept in plain numbers until scraped, the reply times in a
 * BucketHistogram series per action.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BucketHistogram } from './bucket-histogram.ts';
import { silentTap, type GatewayTap } from '../ocpp/gateway-tap.ts';
import type { OpsRepo } from '../storage/sqlite/ops.repo.ts';

export interface Metrics {
  registry: Registry;
  /** Counts OCPP connections and messages. */
  ocpp: GatewayTap;
  ocpiRequest(module: string, method: string, statusCode: number): void;
  deadLettered(): void;
  /** A group commit ended: how many actor steps it held, and whether it committed. */
  committed(steps: number, outcome: 'committed' | 'failed'): void;
  payment(operation: string, outcome: string): void;
  /** Protocol trace records dropped because its writer fell behind. */
  traceDropped(records: number): void;
  /** Where the `dynamo_actors_live` gauge reads its numbers (the actor system, built after the metrics). */
  observeActors(count: () => Record<string, number>): void;
  text(): Promise<string>;
}

const HEAP_SPACE_METRICS = ['nodejs_heap_space_size_total_bytes', 'nodejs_heap_space_size_used_bytes', 'nodejs_heap_space_size_available_bytes'];

export function createMetrics(ops: Pick<OpsRepo, 'pendingDeliveries' | 'activeSessions'>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // On Bun, V8's heap-space statistics are computed by walking the whole JavaScriptCore heap on the main thread:
  // 340–460 ms per scrape with 3 million small objects on it (a node with 19,500 stations holds 100–430 MB),
  // every station waiting meanwhile. The heap's size and use (nodejs_heap_size_*) come from process.memoryUsage().
  for (const name of HEAP_SPACE_METRICS) registry.removeSingleMetric(name);
  const registers = [registry];
  const connected = new Gauge({ name: 'dynamo_ocpp_connected_stations', help: 'Stations with an open OCPP WebSocket', labelNames: ['protocol'], registers });
  // Counted in plain numbers per label set and added to the counter when scraped: prom-client hashes the labels
  // on every inc, a child's too, which cost about 3 % of a station message's CPU.
  const messageCounts = new Map<string, Map<string, { labels: { action: string; direction: string; outcome: string }; n: number }>>();
  new Counter({
    name: 'dynamo_ocpp_messages_total',
    help: 'OCPP messages by action, direction (in: the station called us; out: we called it) and outcome',
    labelNames: ['action', 'direction', 'outcome'],
    registers,
    collect() {
      for (const byAction of messageCounts.values())
        for (const pending of byAction.values()) {
          if (pending.n === 0) continue;
          this.inc(pending.labels, pending.n);
          pending.n = 0;
        }
    },
  });
  const duration = new BucketHistogram(
    'dynamo_ocpp_message_duration_seconds',
    'From a station CALL’s arrival to our reply',
    ['action'],
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  );
  const ocpi = new Counter({ name: 'dynamo_ocpi_requests_total', help: 'OCPI requests partners made to us, by module, method and HTTP status', labelNames: ['module', 'method', 'status_code'], registers });
  const deadLetters = new Counter({ name: 'dynamo_outbox_dead_letters_total', help: 'Deliveries given up after their attempts or age', registers });
  const commits = new Counter({ name: 'dynamo_db_commits_total', help: 'Group commits of actor steps (one transaction per event-loop turn), by outcome', labelNames: ['outcome'], registers });
  const commitSteps = new Histogram({
    name: 'dynamo_db_commit_steps',
    help: 'Actor steps (station messages, API changes) per committed group commit',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers,
  });
  const committed = commits.labels('committed');
  const traceDropped = new Counter({ name: 'dynamo_trace_dropped_total', help: 'Protocol trace records dropped because its writer fell behind (a saturated node)', registers });
  const payments = new Counter({ name: 'dynamo_payments_total', help: 'Payment provider calls by operation and outcome', labelNames: ['operation', 'outcome'], registers });
  // Read from the database when scraped: the numbers stay right across restarts and other writers.
  new Gauge({
    name: 'dynamo_outbox_pending',
    help: 'Deliveries waiting in the outbox, by partner (or payments) channel',
    labelNames: ['partner'],
    registers,
    collect() {
      this.reset();
      for (const { channel, count } of ops.pendingDeliveries()) this.set({ partner: channel }, count);
    },
  });
  new Gauge({
    name: 'dynamo_sessions_active',
    help: 'Charging sessions in status ACTIVE',
    registers,
    collect() {
      this.set(ops.activeSessions());
    },
  });

  let actorCounts: () => Record<string, number> = () => ({});
  new Gauge({
    name: 'dynamo_actors_live',
    help: 'Actors held in memory, by kind (finished ones leave memory; the others are restored from storage on demand)',
    labelNames: ['kind'],
    registers,
    collect() {
      for (const [kind, count] of Object.entries(actorCounts())) this.set({ kind }, count);
    },
  });

  const count = (action: string, direction: 'in' | 'out', outcome: string) => {
    // Two plain map lookups, no key built per message.
    let byAction = messageCounts.get(action);
    if (!byAction) messageCounts.set(action, (byAction = new Map()));
    const key = direction === 'in' ? outcome : `out:${outcome}`;
    const pending = byAction.get(key);
    if (pending) pending.n += 1;
    else byAction.set(key, { labels: { action, direction, outcome }, n: 1 });
  };
  const timers = new Map<string, { observe(v: number): void }>();
  const ocpp: GatewayTap = {
    connected: (s) => connected.labels(s.version).inc(),
    disconnected: (s) => connected.labels(s.version).dec(),
    frame: silentTap.frame,
    answered(_, action, outcome, seconds) {
      count(action, 'in', outcome);
      let timer = timers.get(action);
      if (!timer) timers.set(action, (timer = duration.labels({ action })));
      timer.observe(seconds);
    },
    malformed: () => count('unknown', 'in', 'malformed'),
    called: (_, action, outcome) => count(action, 'out', outcome),
  };
  return {
    registry,
    ocpp,
    ocpiRequest: (module, method, statusCode) => ocpi.labels(module, method, String(statusCode)).inc(),
    deadLettered: () => deadLetters.inc(),
    committed(steps, outcome) {
      if (outcome === 'failed') return commits.labels('failed').inc();
      committed.inc();
      commitSteps.observe(steps);
    },
    payment: (operation, outcome) => payments.labels(operation, outcome).inc(),
    traceDropped: (records) => traceDropped.inc(records),
    observeActors: (count) => (actorCounts = count),
    text: () => registry.metrics(),
  };
}

/** The OCPI module a request path belongs to: `/ocpi/cpo/2.2.1/locations/…` → locations; versions and details → versions. */
export function ocpiModuleOf(pathname: string): string {
  const module = /^\/ocpi\/cpo\/[^/]+\/([^/?]+)/.exec(pathname)?.[1];
  return module ?? 'versions';
}
