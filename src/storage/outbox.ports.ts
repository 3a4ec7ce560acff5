/** The outbox: work that must happen exactly once after a change commits, and its delivery state. */
import type { Party } from '../domain/parties.ts';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

/** Work that must happen exactly once after a change commits: a push to a partner, a payment capture/release. */
export interface Delivery {
  id: number;
  /** A partner's id, or `payments`. */
  channel: string;
  /** Rows of one object are delivered in the order they were made. */
  objectKey: string;
  method: 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  /** Module of the partner's endpoint, or null with an absolute URL in `path`. */
  module: string | null;
  path: string;
  body: unknown;
  /**
   * The party behind the partner's connection it is for (OCPI-to-*): a session's or CDR's token owner, a command's
   * sender. Null: the connection as a whole (locations, tariffs).
   */
  to: Party | null;
  status: DeliveryStatus;
  attempts: number;
  createdAtMs: number;
  /** When its first attempt failed; its age (DELIVERY_MAX_AGE_S) counts from here. */
  firstFailedAtMs: number | null;
  nextAttemptAtMs: number;
  lastError: string | null;
  deliveredAtMs: number | null;
  responseLocation: string | null;
}

export type NewDelivery = Pick<Delivery, 'channel' | 'objectKey' | 'method' | 'module' | 'path' | 'body'> & { to?: Party };

export interface OutboxStore {
  /** A pending row, due at `dueAtMs` (at once by default). */
  enqueue(delivery: NewDelivery, nowMs: number, dueAtMs?: number): number;
  /** The object's newest row on the channel for party `to` (null: the connection as a whole), whatever its status. */
  latest(channel: string, objectKey: string, to: Party | null): Delivery | undefined;
  /** A pending row takes new content (and due time, when given); false when it is no longer pending. */
  rewrite(id: number, change: Pick<Delivery, 'method' | 'body'> & { nextAttemptAtMs?: number }): boolean;
  /**
   * The next row to send: due, the oldest pending one of its object for its party (rows of one object to one party
   * go in order), and not for a party in `held` (those wait, untouched, until the party is reachable again).
   */
  nextDue(channel: string, nowMs: number, held?: Party[]): Delivery | undefined;
  /** When the earliest pending row not for a `held` party becomes due. */
  nextAttemptAt(channel: string, held?: Party[]): number | undefined;
  delivered(id: number, nowMs: number, responseLocation?: string): void;
  /** Counts a failed attempt; the first one also starts the row's age (DELIVERY_MAX_AGE_S). */
  failed(id: number, error: string, nextAttemptAtMs: number, nowMs: number): void;
  deadLetter(id: number, error: string): void;
  retry(channel: string, id: number, nowMs: number): boolean;
  cancelAll(channel: string): void;
  list(channel: string, statuses: DeliveryStatus[], limit: number): Delivery[];
  channelsWithPending(): string[];
}
