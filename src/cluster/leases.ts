/**
 * Leases in Redis with fencing epochs: a named thing (a station, a delivery channel) is held by one node at a
 * time, the holder renews its lease every third of the lease time, and every claim takes a new epoch from a
 * counter that only grows — so a holder that was paused past its lease finds a newer epoch and knows it lost.
 * Values are `epoch|node`. A Redis that lost its data (restart without persistence) is healed on renewal: the
 * holder sets its lease and epoch again when nobody claimed meanwhile.
 */
import type { Logger } from '../lib/logger.ts';
import type { RedisLink } from './redis.ts';

// Forceful claim (a station's new socket wins): a new epoch above `floor` (the epoch the database holds).
const CLAIM = `
local e = redis.call('INCR', KEYS[2])
local floor = tonumber(ARGV[3])
if e <= floor then e = floor + 1; redis.call('SET', KEYS[2], e) end
redis.call('SET', KEYS[1], e .. '|' .. ARGV[1], 'PX', ARGV[2])
return e`;
// Claim only when free (a new epoch above `floor`), or renew when already ours (a delivery channel, an orphaned station).
const ACQUIRE = `
local v = redis.call('GET', KEYS[1])
if not v then
  local e = redis.call('INCR', KEYS[2])
  local floor = tonumber(ARGV[3])
  if e <= floor then e = floor + 1; redis.call('SET', KEYS[2], e) end
  redis.call('SET', KEYS[1], e .. '|' .. ARGV[1], 'PX', ARGV[2])
  return e
end
local sep = string.find(v, '|', 1, true)
if string.sub(v, sep + 1) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]); return tonumber(string.sub(v, 1, sep - 1)) end
return -1`;
const RENEW = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]); return 1 end
if not v and tonumber(redis.call('GET', KEYS[2]) or '0') <= tonumber(ARGV[3]) then
  redis.call('SET', KEYS[2], ARGV[3]); redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]); return 1
end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface Holder {
  epoch: number;
  node: string;
}

export class Leases {
  private readonly held = new Map<string, number>();
  private readonly timer: ReturnType<typeof setInterval>;
  private renewing = false;

  constructor(
    private readonly redis: RedisLink,
    private readonly kind: string,
    private readonly node: string,
    readonly leaseMs: number,
    private readonly onLost: (name: string, epoch: number) => void,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.renewAll(), Math.max(50, Math.floor(leaseMs / 3)));
  }

  /** Takes `name` whatever its current holder, with an epoch above `floor`; the previous holder loses it. */
  async claim(name: string, floor: number): Promise<number> {
    const epoch = Number(await this.redis.commands.eval(CLAIM, { keys: this.keys(name), arguments: [this.node, String(this.leaseMs), String(floor)] }));
    this.held.set(name, epoch);
    return epoch;
  }

  /** Takes `name` if nobody holds it (epoch above `floor`), or renews it if we do; undefined when another node holds it. */
  async acquire(name: string, floor = 0): Promise<number | undefined> {
    const epoch = Number(await this.redis.commands.eval(ACQUIRE, { keys: this.keys(name), arguments: [this.node, String(this.leaseMs), String(floor)] }));
    if (epoch < 0) {
      this.held.delete(name);
      return undefined;
    }
    this.held.set(name, epoch);
    return epoch;
  }

  holds(name: string): boolean {
    return this.held.has(name);
  }

  async holder(name: string): Promise<Holder | undefined> {
    const value = await this.redis.commands.get(this.keys(name)[0]);
    if (!value) return undefined;
    const sep = value.indexOf('|');
    return { epoch: Number(value.slice(0, sep)), node: value.slice(sep + 1) };
  }

  /** Forgets `name` without telling Redis (another node took it). */
  drop(name: string) {
    this.held.delete(name);
  }

  async release(name: string): Promise<void> {
    const epoch = this.held.get(name);
    if (epoch === undefined) return;
    this.held.delete(name);
    await this.redis.commands.eval(RELEASE, { keys: this.keys(name), arguments: [`${epoch}|${this.node}`] });
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([...this.held.keys()].map((name) => this.release(name)));
  }

  private async renewAll() {
    // While Redis is away commands wait in the client's queue: one round of renewals at a time.
    if (this.renewing) return;
    this.renewing = true;
    await Promise.all(
      [...this.held].map(async ([name, epoch]) => {
        try {
          const renewed = await this.redis.commands.eval(RENEW, { keys: this.keys(name), arguments: [`${epoch}|${this.node}`, String(this.leaseMs), String(epoch)] });
          if (Number(renewed) === 1 || this.held.get(name) !== epoch) return;
          this.held.delete(name);
          this.onLost(name, epoch);
        } catch (error) {
          // Redis away: nobody else can claim meanwhile either; the next renewal tells.
          this.logger.warn('Lease renewal failed', { kind: this.kind, name, error: (error as Error).message });
        }
      }),
    ).finally(() => (this.renewing = false));
  }

  private keys(name: string): [string, string] {
    return [`${this.redis.prefix}:lease:${this.kind}:${name}`, `${this.redis.prefix}:epoch:${this.kind}:${name}`];
  }
}
