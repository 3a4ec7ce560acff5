/**
 * Slows down repeated authentication failures per source and station id, never locks anyone out: only failures
 * are delayed (up to a few seconds), so a station presenting the right password gets in at once, while a
 * password-guessing loop crawls (reliability rule 3).
 */
/** Records an authentication failure and says how long to hold the refusal (ms); shared by nodes or not. */
export interface AuthFailureThrottle {
  fail(source: string, id: string): number | Promise<number>;
}

/** The first few mistakes (a mistyped password) cost nothing; then 250 ms, 500 ms, 1 s, … up to the cap. */
export const delayAfterFailures = (count: number, maxDelayMs = 5_000) => (count <= 3 ? 0 : Math.min(maxDelayMs, 250 * 2 ** (count - 4)));

export class FailureThrottle implements AuthFailureThrottle {
  private readonly failures = new Map<string, { count: number; lastMs: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs = 60_000,
    private readonly maxDelayMs = 5_000,
  ) {}

  /** Records a failure and returns how long to hold the refusal. */
  fail(source: string, id: string): number {
    const key = `${source}\u0000${id}`;
    const now = this.now();
    const previous = this.failures.get(key);
    const count = previous && now - previous.lastMs < this.windowMs ? previous.count + 1 : 1;
    this.failures.set(key, { count, lastMs: now });
    if (this.failures.size > 10_000) this.prune(now);
    return delayAfterFailures(count, this.maxDelayMs);
  }

  private prune(now: number) {
    for (const [key, entry] of this.failures) if (now - entry.lastMs >= this.windowMs) this.failures.delete(key);
  }
}
