/**
 * Configuration is read once, here, from environment variables and validated up front: a service that
 * starts with a bad PUBLIC_URL publishes broken links to every partner, so each bad value stops the start
 * with one clear line instead.
 */
import { hostname } from 'node:os';
import { LOG_LEVELS, type LogLevel } from './lib/logger.ts';

export const DEFAULT_DATABASE_PATH = './data/dynamo.sqlite';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databasePath: string;
  /** PostgreSQL instead of the SQLite file (DATABASE_URL wins over DATABASE_PATH). */
  databaseUrl?: string;
  adminApiKey: string;
  secretKey: string;
  cpo: { countryCode: string; partyId: string; name: string; website?: string };
  redisUrl?: string;
  /** Several nodes (REDIS_URL set): this node's name, the Redis key prefix, the station and delivery lease time. */
  cluster: { nodeId: string; keyPrefix: string; leaseMs: number };
  logLevel: LogLevel;
  /** Bearer token for GET /metrics besides operator API keys (a scraper need not hold an operator key). */
  metricsToken?: string;
  invitationTtlSeconds: number;
  partnerRequestTimeoutMs: number;
  /** Heartbeat interval we give stations in BootNotification. */
  heartbeatIntervalSeconds: number;
  /** How long a disconnected station's EVSEs keep their last status before partners see UNKNOWN. */
  offlineGraceSeconds: number;
  /** A charge-point actor with nothing pending leaves memory after this long (to twice it) without an event; 0: never. */
  actorIdleEvictSeconds: number;
  /** The `timeout` we give eMSPs for a command's result; also how long we wait for the station. */
  commandTimeoutSeconds: number;
  /** How long a driver at the charger waits for the eMSP's real-time authorization answer. */
  authorizeTimeoutMs: number;
  /** Guest charging paid by card. */
  guest: { holdAmount: string; startTimeoutSeconds: number; stopWaitSeconds: number };
  payments: { provider: 'simulated' | 'stripe'; stripeSecretKey?: string };
  /**
   * At most one Session PATCH per session and partner in this time, the latest state winning; status changes and
   * the final state go at once. 0 pushes every change as it happens.
   */
  sessionPatchIntervalSeconds: number;
  /** Push delivery to partners: attempts and age before a dead letter, backoff between attempts. */
  delivery: { maxAttempts: number; maxAgeMs: number; baseDelayMs: number; maxDelayMs: number };
  /** The protocol trace (OCPP frames, OCPI exchanges, payment calls): on/off, kept this many hours, at most this many rows. */
  trace: { enabled: boolean; retentionHours: number; maxRows: number };
  /** Bytes of rendered OCPI objects kept in memory for list pages (0: every page reads its objects from SQLite). */
  ocpiListCacheBytes: number;
  /** Our own OCPP answers checked against the official schemas before they are sent (tests and `bun dev`; off in production). */
  ocppCheckReplies: boolean;
}

/** Megabytes of rendered OCPI objects kept in memory for list pages, unless OCPI_LIST_CACHE_MB says otherwise. */
export const DEFAULT_LIST_CACHE_MB = 256;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Values `bun dev` uses when a variable is unset, so a fresh clone runs with no configuration. */
export const demoDefaults = {
  CPO_COUNTRY_CODE: 'GB',
  CPO_PARTY_ID: 'GWY',
  CPO_NAME: 'Greenway Charging Ltd',
  CPO_WEBSITE: 'https://greenway.example',
  ADMIN_API_KEY: 'dev-admin-key-change-me-0000000000',
  SECRET_KEY: 'dev-secret-key-change-me-00000000000000000000',
} as const;

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const port = parsePort(read('PORT') ?? '3000');
  if (port === undefined) problems.push(`PORT must be an integer between 0 and 65535 (got "${read('PORT')}")`);

  const publicUrl = (read('PUBLIC_URL') ?? `http://localhost:${port ?? 3000}`).replace(/\/+$/, '');
  if (!isHttpUrl(publicUrl)) problems.push(`PUBLIC_URL must be an absolute http(s) URL (got "${publicUrl}")`);

  const adminApiKey = read('ADMIN_API_KEY');
  if (!adminApiKey) problems.push('ADMIN_API_KEY is required (the bootstrap operator API key, at least 16 characters)');
  else if (adminApiKey.length < 16) problems.push('ADMIN_API_KEY must be at least 16 characters long');

  const secretKey = read('SECRET_KEY');
  if (!secretKey) problems.push('SECRET_KEY is required (encrypts partner tokens at rest, at least 32 characters)');
  else if (secretKey.length < 32) problems.push('SECRET_KEY must be at least 32 characters long');

  const countryCode = read('CPO_COUNTRY_CODE')?.toUpperCase();
  if (!countryCode || !/^[A-Z]{2}$/.test(countryCode))
    problems.push(`CPO_COUNTRY_CODE must be an ISO 3166-1 alpha-2 code such as "NL" (got "${countryCode ?? ''}")`);
  const partyId = read('CPO_PARTY_ID')?.toUpperCase();
  if (!partyId || !/^[A-Z0-9]{3}$/.test(partyId))
    problems.push(`CPO_PARTY_ID must be three letters or digits such as "TNM" (got "${partyId ?? ''}")`);
  const name = read('CPO_NAME');
  if (!name || name.length > 100) problems.push('CPO_NAME is required (at most 100 characters)');
  const website = read('CPO_WEBSITE');
  if (website && !isHttpUrl(website)) problems.push(`CPO_WEBSITE must be an absolute http(s) URL (got "${website}")`);

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\/[^/]/.test(databaseUrl))
    problems.push('DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/dynamo (got a value that is not)');

  const redisUrl = read('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push(`REDIS_URL must start with redis:// or rediss:// (got "${redisUrl}")`);
  // Several nodes share one record: each node's own SQLite file would split the network into islands.
  else if (redisUrl && !databaseUrl) problems.push('REDIS_URL (several nodes) needs DATABASE_URL: the nodes share their record in PostgreSQL, not in a SQLite file each');

  const nodeId = read('NODE_ID') ?? `${hostname()}-${process.pid}`;
  if (!/^[\w.:-]{1,100}$/.test(nodeId)) problems.push(`NODE_ID must be 1-100 letters, digits, '.', ':', '_' or '-' (got "${nodeId}")`);
  const keyPrefix = read('REDIS_KEY_PREFIX') ?? 'dynamo';
  if (!/^[\w.:-]{1,100}$/.test(keyPrefix)) problems.push(`REDIS_KEY_PREFIX must be 1-100 letters, digits, '.', ':', '_' or '-' (got "${keyPrefix}")`);

  const logLevel = (read('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${read('LOG_LEVEL')}")`);
  const metricsToken = read('METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters long');

  const positiveInt = (name: string, fallback: number, unit: string) => {
    const value = Number(read(name) ?? fallback);
    if (!Number.isInteger(value) || value <= 0) problems.push(`${name} must be a positive integer number of ${unit} (got "${read(name)}")`);
    return value;
  };
  const invitationTtlSeconds = positiveInt('INVITATION_TTL_S', 7 * 24 * 3600, 'seconds');
  const partnerRequestTimeoutMs = positiveInt('PARTNER_TIMEOUT_MS', 10_000, 'milliseconds');
  const heartbeatIntervalSeconds = positiveInt('HEARTBEAT_INTERVAL_S', 300, 'seconds');
  const offlineGraceSeconds = positiveInt('OFFLINE_GRACE_S', 120, 'seconds');
  const commandTimeoutSeconds = positiveInt('COMMAND_TIMEOUT_S', 30, 'seconds');
  const authorizeTimeoutMs = positiveInt('AUTHORIZE_TIMEOUT_MS', 3000, 'milliseconds');
  const holdAmount = read('GUEST_PREAUTH_AMOUNT') ?? '50.00';
  if (!/^\d{1,7}(\.\d{1,4})?$/.test(holdAmount) || Number(holdAmount) <= 0)
    problems.push(`GUEST_PREAUTH_AMOUNT must be a positive decimal amount such as 50.00 (got "${holdAmount}")`);
  const guest = {
    holdAmount,
    startTimeoutSeconds: positiveInt('GUEST_START_TIMEOUT_S', 300, 'seconds'),
    stopWaitSeconds: positiveInt('GUEST_STOP_WAIT_S', 30, 'seconds'),
  };
  const provider = read('PAYMENT_PROVIDER') ?? 'simulated';
  const stripeSecretKey = read('STRIPE_SECRET_KEY');
  if (provider !== 'simulated' && provider !== 'stripe') problems.push(`PAYMENT_PROVIDER must be "simulated" or "stripe" (got "${provider}")`);
  if (provider === 'stripe' && !stripeSecretKey) problems.push('STRIPE_SECRET_KEY is required when PAYMENT_PROVIDER is "stripe"');
  const delivery = {
    maxAttempts: positiveInt('DELIVERY_MAX_ATTEMPTS', 15, 'attempts'),
    maxAgeMs: positiveInt('DELIVERY_MAX_AGE_S', 3 * 24 * 3600, 'seconds') * 1000,
    baseDelayMs: positiveInt('DELIVERY_BASE_DELAY_MS', 1000, 'milliseconds'),
    maxDelayMs: positiveInt('DELIVERY_MAX_DELAY_MS', 5 * 60_000, 'milliseconds'),
  };

  const actorIdleEvictSeconds = Number(read('ACTOR_IDLE_EVICT_S') ?? 30);
  if (!Number.isInteger(actorIdleEvictSeconds) || actorIdleEvictSeconds < 0)
    problems.push(`ACTOR_IDLE_EVICT_S must be a whole number of seconds, 0 (never) or more (got "${read('ACTOR_IDLE_EVICT_S')}")`);
  const leaseMs = positiveInt('CLUSTER_LEASE_MS', 10_000, 'milliseconds');

  const sessionPatchIntervalSeconds = Number(read('SESSION_PATCH_INTERVAL_S') ?? 15);
  if (!Number.isInteger(sessionPatchIntervalSeconds) || sessionPatchIntervalSeconds < 0 || sessionPatchIntervalSeconds > 3600)
    problems.push(`SESSION_PATCH_INTERVAL_S must be a whole number of seconds from 0 (every change at once) to 3600 (got "${read('SESSION_PATCH_INTERVAL_S')}")`);

  const traceSwitch = (read('TRACE') ?? 'on').toLowerCase();
  if (traceSwitch !== 'on' && traceSwitch !== 'off') problems.push(`TRACE must be "on" or "off" (got "${read('TRACE')}")`);
  const trace = {
    enabled: traceSwitch !== 'off',
    retentionHours: positiveInt('TRACE_RETENTION_H', 72, 'hours'),
    maxRows: positiveInt('TRACE_MAX_ROWS', 1_000_000, 'rows'),
  };

  const checkReplies = (read('OCPP_CHECK_REPLIES') ?? 'off').toLowerCase();
  if (checkReplies !== 'on' && checkReplies !== 'off') problems.push(`OCPP_CHECK_REPLIES must be "on" or "off" (got "${read('OCPP_CHECK_REPLIES')}")`);

  const listCacheMb = Number(read('OCPI_LIST_CACHE_MB') ?? DEFAULT_LIST_CACHE_MB);
  if (!Number.isInteger(listCacheMb) || listCacheMb < 0)
    problems.push(`OCPI_LIST_CACHE_MB must be a whole number of megabytes, 0 or more (got "${read('OCPI_LIST_CACHE_MB')}")`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: port!,
    host: read('HOST') ?? '0.0.0.0',
    publicUrl,
    databasePath: read('DATABASE_PATH') ?? DEFAULT_DATABASE_PATH,
    ...(databaseUrl ? { databaseUrl } : {}),
    adminApiKey: adminApiKey!,
    secretKey: secretKey!,
    cpo: { countryCode: countryCode!, partyId: partyId!, name: name!, ...(website ? { website } : {}) },
    ...(redisUrl ? { redisUrl } : {}),
    cluster: { nodeId, keyPrefix, leaseMs },
    logLevel: logLevel as LogLevel,
    ...(metricsToken ? { metricsToken } : {}),
    invitationTtlSeconds,
    partnerRequestTimeoutMs,
    heartbeatIntervalSeconds,
    offlineGraceSeconds,
    actorIdleEvictSeconds,
    authorizeTimeoutMs,
    commandTimeoutSeconds,
    guest,
    payments: { provider: provider as 'simulated' | 'stripe', ...(stripeSecretKey ? { stripeSecretKey } : {}) },
    sessionPatchIntervalSeconds,
    delivery,
    trace,
    ocpiListCacheBytes: listCacheMb * 2 ** 20,
    ocppCheckReplies: checkReplies === 'on',
  };
}

function parsePort(value: string): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const port = Number(value);
  return port <= 65535 ? port : undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
