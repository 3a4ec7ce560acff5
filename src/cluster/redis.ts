/**
 * The Redis connection of a node: one client for commands and one for subscriptions (a subscribed connection
 * takes no other commands). node-redis, not Bun's built-in RedisClient: Bun's client does not subscribe again
 * after a reconnect (messages would be lost silently) and hangs ~31 s on its first command without a server;
 * node-redis reconnects on its own, re-subscribes, and queues commands while the server is away.
 */
import type { Logger } from '../lib/logger.ts';
import { redactUrl } from '../lib/redact-url.ts';
import { StartupError } from '../lib/startup-error.ts';

// Back off up to 1 s between attempts: a Redis restart of a few seconds costs at most a second more.
const clientFor = (redis: typeof import('redis'), url: string) =>
  redis.createClient({ url, socket: { reconnectStrategy: (retries: number) => Math.min(1000, 50 * 2 ** retries), connectTimeout: 3000 } });
export type RedisCommands = ReturnType<typeof clientFor>;

export interface RedisLink {
  commands: RedisCommands;
  /** Every key and channel of this deployment starts with it (tests give each run its own). */
  prefix: string;
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  close(): Promise<void>;
}

/** Connects both clients; a server that cannot be reached at start is a start-up error (one line). */
export async function connectRedis(url: string, prefix: string, logger: Logger): Promise<RedisLink> {
  // Loaded only by a node that joins a cluster: the client's modules cost a lone node ~0.2 s of its start.
  const commands = clientFor(await import('redis'), url);
  const subscriber = commands.duplicate();
  let connected = false;
  for (const client of [commands, subscriber])
    client.on('error', (error: Error) => {
      if (connected) logger.warn('Redis connection problem; reconnecting', { error: error.message });
    });
  try {
    await Promise.all([commands.connect(), subscriber.connect()]);
  } catch (error) {
    await Promise.allSettled([commands.destroy(), subscriber.destroy()]);
    throw new StartupError(`Cannot connect to Redis at ${redactUrl(url, 'REDIS_URL')}: ${(error as Error).message} (check REDIS_URL)`);
  }
  connected = true;
  return {
    commands,
    prefix,
    subscribe: async (channel, listener) => void (await subscriber.subscribe(channel, listener)),
    async close() {
      connected = false;
      await Promise.allSettled([commands.close(), subscriber.close()]);
    },
  };
}
