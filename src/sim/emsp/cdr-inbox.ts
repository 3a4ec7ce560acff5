/**
 * CDRs the CPO POSTed (OCPI 2.2.1 cdrs, eMSP Receiver), kept in arrival order with every copy, so a CDR sent
 * twice shows up (a CDR is final and must reach the eMSP once: a second copy could bill the driver twice).
 * Each POST gets a number; the `Location` header we answer with points at it.
 */
import type { CDR } from '../../model/ocpi/cdr.ts';

export type CdrInbox = ReturnType<typeof createCdrInbox>;

/** A CDR's identity is its owner plus its id (OCPI 2.2.1, object identity). */
const keyOf = (cdr: CDR) => `${cdr.country_code}/${cdr.party_id}/${cdr.id}`.toUpperCase();

export function createCdrInbox() {
  const received: CDR[] = [];
  const copies = new Map<string, number>();

  return {
    /** Stores one POSTed CDR; returns its number (1-based) and whether the same CDR had come before. */
    receive(cdr: CDR): { n: number; duplicate: boolean } {
      received.push(cdr);
      const key = keyOf(cdr);
      const count = (copies.get(key) ?? 0) + 1;
      copies.set(key, count);
      return { n: received.length, duplicate: count > 1 };
    },
    byNumber: (n: number): CDR | undefined => (Number.isInteger(n) && n >= 1 ? received[n - 1] : undefined),
    /** Every POST, in arrival order, duplicates included. */
    list: (): CDR[] => [...received],
    /** Ids of CDRs POSTed more than once, each listed once. */
    duplicateIds(): string[] {
      const ids = new Set<string>();
      for (const cdr of received) if ((copies.get(keyOf(cdr)) ?? 0) > 1) ids.add(cdr.id);
      return [...ids];
    },
    /** True when exactly one copy of a CDR with this id arrived (ids compared case-insensitively). */
    receivedOnce(id: string): boolean {
      const wanted = id.toUpperCase();
      return received.filter((cdr) => cdr.id.toUpperCase() === wanted).length === 1;
    },
  };
}
