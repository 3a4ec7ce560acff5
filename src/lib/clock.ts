/**
 * Time is a port: the domain and actors ask a Clock for the time and for timers, so tests can move time instead of
 * sleeping (test/support/manual-clock.ts) and the same code runs on the system clock in production.
 */
export interface Clock {
  now(): Date;
  /** Runs `fire` once this clock reaches `atMs` (epoch ms; at once when it already has). Returns the cancel. */
  at(atMs: number, fire: () => void): () => void;
}

/** setTimeout holds at most 2^31−1 ms (~24.8 days); a later deadline is re-armed in steps rather than firing at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => new Date(),
  at(atMs, fire) {
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      const delay = atMs - Date.now();
      timer = delay > MAX_TIMEOUT_MS ? setTimeout(arm, MAX_TIMEOUT_MS) : setTimeout(fire, Math.max(0, delay));
    };
    arm();
    return () => clearTimeout(timer);
  },
};

/** The clock's time in epoch ms, as a function: the system clock's without making a Date per call (the trace asks per frame). */
export function epochMs(clock: Clock): () => number {
  return clock === systemClock ? Date.now : () => clock.now().getTime();
}

/** XState's scheduler interface (`createActor(logic, { clock })`), so `after` delays run on our Clock too. */
export function xstateClock(clock: Clock) {
  let next = 0;
  const cancels = new Map<number, () => void>();
  return {
    setTimeout(fn: (...args: unknown[]) => void, ms: number) {
      const id = ++next;
      cancels.set(id, clock.at(clock.now().getTime() + ms, () => {
        cancels.delete(id);
        fn();
      }));
      return id;
    },
    clearTimeout(id: unknown) {
      cancels.get(id as number)?.();
      cancels.delete(id as number);
    },
  };
}

/** OCPI DateTime as we write it: UTC, second precision, `Z` designator (OCPI 2.2.1 types, DateTime). */
export function ocpiDateTime(date: Date): string {
  // Every station message stamps its event: the text of the current second is made once.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond.at) {
    // Years 0–9999 (ours): the milliseconds are the last four characters, ".sssZ".
    lastSecond.text = `${date.toISOString().slice(0, -5)}Z`;
    lastSecond.at = second;
  }
  return lastSecond.text;
}
const lastSecond = { at: Number.NaN, text: '' };

/** Milliseconds of an OCPI DateTime; a value without designator is UTC (not local time, as JS would read it). */
export function parseOcpiDateTime(value: string): number {
  return Date.parse(/Z$/i.test(value) ? value : `${value}Z`);
}
