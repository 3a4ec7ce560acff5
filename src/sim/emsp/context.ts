/**
 * Everything the simulated eMSP's handlers and outbound calls share: who we are, where we live, the CPO we are
 * registered with, our drivers and what the CPO pushed to us.
 */
import type { Credentials } from '../../model/ocpi/credentials.ts';
import type { Tariff } from '../../model/ocpi/tariff.ts';
import type { Token } from '../../model/ocpi/token.ts';
import type { Access } from './access.ts';
import type { CdrInbox } from './cdr-inbox.ts';
import type { ProfileBook } from './charging-profiles.ts';
import type { CommandTracker } from './command-results.ts';
import type { CpoLink, PartyIdentity } from './cpo-link.ts';
import type { LocationsStore } from './locations-store.ts';
import type { EmspUrls } from './paths.ts';
import type { SessionsStore } from './sessions-store.ts';

/** What the simulated eMSP reports to its owner (the simulation's log, the dev page). */
export type SimEmspEventKind =
  | 'registered'
  | 'unregistered'
  | 'credentials'
  | 'tokens'
  | 'location'
  | 'evse'
  | 'tariff'
  | 'session'
  | 'cdr'
  | 'duplicate-cdr'
  | 'authorize'
  | 'command'
  | 'command-result'
  | 'charging-profile'
  | 'error';

export interface SimEmspEvent {
  kind: SimEmspEventKind;
  message: string;
}

export interface EmspContext {
  us: PartyIdentity;
  urls: EmspUrls;
  access: Access;
  /** The CPO we are registered with; undefined before registration and after unregistration. */
  cpo: { link: CpoLink | undefined };
  /** Our drivers (the Tokens module's data: we own it, the CPO keeps a copy). */
  tokens: Token[];
  locations: LocationsStore;
  /** By `CC/PID/ID`, upper case (CiString ids). */
  tariffs: Map<string, Tariff>;
  sessions: SessionsStore;
  cdrs: CdrInbox;
  commands: CommandTracker;
  /** Charging profiles we set: their results and the schedules the CPO reports. */
  profiles: ProfileBook;
  emit(kind: SimEmspEventKind, message: string): void;
  /** Our Credentials object, carrying the token the CPO must present to us. */
  ourCredentials(token: string): Credentials;
  /** A fresh id (≤ 36 characters) for an authorization_reference or a command's response_url. */
  nextId(prefix: string): string;
}
