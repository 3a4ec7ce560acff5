/** Time is a port: the domain and actors ask a Clock, so tests can move time instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** OCPI DateTime as we write it: UTC, second precision, `Z` designator (OCPI 2.2.1 types, DateTime). */
export function ocpiDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Milliseconds of an OCPI DateTime; a value without designator is UTC (not local time, as JS would read it). */
export function parseOcpiDateTime(value: string): number {
  return Date.parse(/Z$/i.test(value) ? value : `${value}Z`);
}
