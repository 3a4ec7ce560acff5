/**
 * The simulated eMSP of `bun dev`: a real OCPI 2.2.1 eMSP on its own port, talking to the CSMS as any partner
 * would. It registers through the credentials handshake, hands its drivers' tokens to the CPO, answers
 * real-time authorization, starts and stops sessions by command, limits some by charging profile, and stores what the CPO pushes (locations,
 * tariffs, sessions, CDRs) so the simulation, the dev page and tests can see what a partner sees.
 */
import type { CDR } from '../../model/ocpi/cdr.ts';
import type { ActiveChargingProfile, ChargingProfile, ChargingProfileResponse } from '../../model/ocpi/charging-profiles.ts';
import type { Credentials, CredentialsRole } from '../../model/ocpi/credentials.ts';
import type { Location } from '../../model/ocpi/location.ts';
import type { Session } from '../../model/ocpi/session.ts';
import type { Tariff } from '../../model/ocpi/tariff.ts';
import type { Token } from '../../model/ocpi/token.ts';
import type { Endpoint } from '../../model/ocpi/versions.ts';
import type { Random } from '../random.ts';
import { createAccess } from './access.ts';
import { createCdrInbox } from './cdr-inbox.ts';
import { cdrsRoutes } from './cdrs-routes.ts';
import { chargingProfilesRoutes, createProfileBook, setChargingProfile, type ProfileResultRecord } from './charging-profiles.ts';
import { createCommandTracker, type CommandResultRecord } from './command-results.ts';
import { startSession, stopSession, type CommandOutcome, type StartSessionRequest } from './commands.ts';
import { commandsRoutes } from './commands-routes.ts';
import type { EmspContext, SimEmspEvent } from './context.ts';
import { credentialsRoutes } from './credentials-routes.ts';
import { createDriverTokens } from './driver-tokens.ts';
import { createLocationsStore } from './locations-store.ts';
import { locationsRoutes } from './locations-routes.ts';
import { emspUrls } from './paths.ts';
import { registerAsInitiator, unregisterFrom } from './registration.ts';
import { createRequestHandler } from './request-handler.ts';
import { createSessionsStore } from './sessions-store.ts';
import { sessionsRoutes } from './sessions-routes.ts';
import { tariffsRoutes } from './tariffs-routes.ts';
import { pushTokens } from './token-push.ts';
import { tokensRoutes } from './tokens-routes.ts';
import { versionsRoutes } from './versions-routes.ts';

export type { CommandOutcome, StartSessionRequest } from './commands.ts';
export type { CommandResultRecord } from './command-results.ts';
export type { ProfileResultRecord } from './charging-profiles.ts';
export type { SimEmspEvent, SimEmspEventKind } from './context.ts';

export interface SimEmspOptions {
  /** Our OCPI country code (default NL). */
  countryCode?: string;
  /** Our OCPI party id (default SIM). */
  partyId?: string;
  /** Business name in our credentials, and the issuer of our tokens. */
  name: string;
  /** How many driver tokens (RFID cards and app users) to create (default 20). */
  tokens?: number;
  /** Seeded randomness: the same seed gives the same drivers. */
  random: Random;
  onEvent?: (event: SimEmspEvent) => void;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  hostname?: string;
  /** How long to wait for a CommandResult beyond the CPO's advertised timeout (default 5000 ms). */
  commandResultGraceMs?: number;
}

export interface SimEmspRegistration {
  /** Token C: what we present to the CPO. */
  cpoToken: string;
  /** Token B: what the CPO presents to us. */
  tokenB: string;
  cpoVersionsUrl: string;
  cpoEndpoints: Endpoint[];
  cpoRoles: CredentialsRole[];
  tokensPushed: number;
  tokensFailed: number;
}

/** A snapshot (copies, plain JSON) of what the eMSP holds. */
export interface SimEmspView {
  name: string;
  countryCode: string;
  partyId: string;
  registered: boolean;
  /** The locations the CPO pushed, with the EVSE statuses it last told us. */
  locations: Location[];
  tariffs: Tariff[];
  /** Latest state of each session, in the order they first arrived. */
  sessions: Session[];
  /** Every CDR POSTed to us, in arrival order, duplicates included. */
  cdrs: CDR[];
  /** Ids of CDRs POSTed more than once (should stay empty). */
  duplicateCdrIds: string[];
  commandResults: CommandResultRecord[];
  /** Results of the charging profiles we set, in arrival order. */
  profileResults: ProfileResultRecord[];
  /** The latest schedule the CPO reported per session (ActiveChargingProfile PUTs). */
  schedules: Record<string, ActiveChargingProfile>;
  tokens: Token[];
}

export interface SimEmsp {
  /** Our base URL, e.g. http://127.0.0.1:54321. */
  readonly url: string;
  /** Our versions endpoint, to hand to a CPO with a token A. */
  readonly versionsUrl: string;
  readonly countryCode: string;
  readonly partyId: string;
  readonly name: string;
  /** The credentials handshake with us as initiator; then our tokens are pushed to the CPO. */
  registerWith(cpoVersionsUrl: string, tokenA: string): Promise<SimEmspRegistration>;
  /** Unregisters from the CPO (credentials DELETE), when registered; the CPO stops pushing to us. */
  unregister(): Promise<void>;
  /** A token A for a CPO that registers with us instead (CPO-initiated handshake). */
  issueTokenA(): string;
  startSession(request: StartSessionRequest): Promise<CommandOutcome>;
  stopSession(sessionId: string): Promise<CommandOutcome>;
  /** Limits one of our drivers' sessions (PUT chargingprofiles); the CPO's answer, the result follows. */
  setChargingProfile(sessionId: string, profile: ChargingProfile): Promise<ChargingProfileResponse>;
  view(): SimEmspView;
  /** True when exactly one copy of the CDR with this id reached us. */
  cdrReceivedOnce(id: string): boolean;
  rfidTokens(): Token[];
  appTokens(): Token[];
  stop(): Promise<void>;
}

export function startSimEmsp(options: SimEmspOptions): SimEmsp {
  const countryCode = options.countryCode ?? 'NL';
  const partyId = options.partyId ?? 'SIM';
  const us = { countryCode, partyId, name: options.name };
  const emit = (kind: SimEmspEvent['kind'], message: string) => {
    try {
      options.onEvent?.({ kind, message });
    } catch {
      // A listener's failure is the listener's: the eMSP carries on.
    }
  };
  // Ids we make up (authorization references, response_url ids) need only be unique; the instance tag keeps a
  // late result meant for an earlier run from matching a command of this one.
  const instance = crypto.randomUUID().slice(0, 8);
  let counter = 0;
  const access = createAccess(`${countryCode}${partyId}`.toLowerCase());

  let handle: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const server = Bun.serve({ port: options.port ?? 0, hostname: options.hostname ?? '127.0.0.1', fetch: (request) => handle(request) });
  const host = server.hostname?.includes(':') ? `[${server.hostname}]` : server.hostname; // an IPv6 address needs brackets in a URL
  const urls = emspUrls(`http://${host}:${server.port}`);

  const ctx: EmspContext = {
    us,
    urls,
    access,
    cpo: { link: undefined },
    tokens: createDriverTokens({ countryCode, partyId, issuer: options.name, count: options.tokens ?? 20, random: options.random, now: new Date() }),
    locations: createLocationsStore(),
    tariffs: new Map(),
    sessions: createSessionsStore(),
    cdrs: createCdrInbox(),
    commands: createCommandTracker(options.commandResultGraceMs ?? 5000),
    profiles: createProfileBook(),
    emit,
    ourCredentials: (token): Credentials => ({
      token,
      url: urls.versions,
      roles: [{ role: 'EMSP', country_code: countryCode, party_id: partyId, business_details: { name: options.name } }],
    }),
    nextId: (prefix) => `${prefix}-${instance}-${++counter}`,
  };
  handle = createRequestHandler(
    [
      ...versionsRoutes(ctx),
      ...credentialsRoutes(ctx),
      ...locationsRoutes(ctx),
      ...sessionsRoutes(ctx),
      ...tariffsRoutes(ctx),
      ...cdrsRoutes(ctx),
      ...tokensRoutes(ctx),
      ...commandsRoutes(ctx),
      ...chargingProfilesRoutes(ctx),
    ],
    { access, us, cpo: () => ctx.cpo.link, emit },
  );

  return {
    url: urls.base,
    versionsUrl: urls.versions,
    countryCode,
    partyId,
    name: options.name,
    async registerWith(cpoVersionsUrl, tokenA) {
      if (ctx.cpo.link) throw new Error(`Already registered with the CPO at ${ctx.cpo.link.versionsUrl}`);
      const { link, tokenB } = await registerAsInitiator({ cpoVersionsUrl, tokenA, access, ourCredentials: ctx.ourCredentials });
      ctx.cpo.link = link;
      emit('registered', `registered with the CPO at ${cpoVersionsUrl}`);
      const { pushed, failed } = await pushTokens(ctx, link);
      return {
        cpoToken: link.token,
        tokenB,
        cpoVersionsUrl: link.versionsUrl,
        cpoEndpoints: link.endpoints,
        cpoRoles: link.roles,
        tokensPushed: pushed,
        tokensFailed: failed,
      };
    },
    async unregister() {
      const link = ctx.cpo.link;
      if (!link) return;
      await unregisterFrom(link);
      ctx.cpo.link = undefined;
      access.revokePartnerToken();
      emit('unregistered', `unregistered from the CPO at ${link.versionsUrl}`);
    },
    issueTokenA: () => access.issueRegistrationToken(),
    startSession: (request) => startSession(ctx, request),
    stopSession: (sessionId) => stopSession(ctx, sessionId),
    setChargingProfile: (sessionId, profile) => setChargingProfile(ctx, sessionId, profile),
    view: () =>
      structuredClone({
        name: options.name,
        countryCode,
        partyId,
        registered: ctx.cpo.link !== undefined,
        locations: ctx.locations.list(),
        tariffs: [...ctx.tariffs.values()],
        sessions: ctx.sessions.list(),
        cdrs: ctx.cdrs.list(),
        duplicateCdrIds: ctx.cdrs.duplicateIds(),
        commandResults: ctx.commands.list(),
        profileResults: ctx.profiles.results(),
        schedules: ctx.profiles.schedules(),
        tokens: ctx.tokens,
      }),
    cdrReceivedOnce: (id) => ctx.cdrs.receivedOnce(id),
    rfidTokens: () => structuredClone(ctx.tokens.filter((t) => t.type === 'RFID')),
    appTokens: () => structuredClone(ctx.tokens.filter((t) => t.type === 'APP_USER')),
    async stop() {
      ctx.commands.stop();
      await server.stop(true).catch(() => undefined);
    },
  };
}
