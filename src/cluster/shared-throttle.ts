import { delayAfterFailures, type AuthFailureThrottle } from '../ocpp/upgrade/failure-throttle.ts';
import type { RedisLink } from './redis.ts';

const WINDOW_MS = 60_000;
/** Longer than this without Redis's count: refuse without a hold. */
const REDIS_WAIT_MS = 1_000;

/**
 * The authentication-failure throttle of several nodes: failures per source and station id are counted in Redis,
 * so a password-guessing loop spread over the nodes behind a load balancer crawls as it would on one node. Redis
 * away: no hold (a station with the right password must always get in; the refusal itself still stands).
 */
export function sharedFailureThrottle(redis: RedisLink): AuthFailureThrottle {
  return {
    async fail(source, id) {
      const key = `${redis.prefix}:authfail:${source}:${id}`;
      const counted = redis.commands.multi().incr(key).pExpire(key, WINDOW_MS).exec().then((replies) => delayAfterFailures(Number(replies[0])));
      return Promise.race([counted, Bun.sleep(REDIS_WAIT_MS).then(() => 0)]);
    },
  };
}
