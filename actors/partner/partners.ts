import type { Credentials } from '../../src/model/ocpi/credentials.ts';
import type { ClientInfo } from '../../src/model/ocpi/hub-client-info.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { duplicateRole, isHub, partyOf, sameParty, type Party } from '../../src/domain/parties.ts';
import { generateSecret, type Secrets } from '../../src/lib/secrets.ts';
import { tokenCandidates } from '../../src/domain/credentials-token.ts';
import { ActorEventRejected, type ActorHost } from '../system/actor-host.ts';
import { discoverPlatform } from './discover-platform.ts';
import type { PartnerEvent } from './partner.events.ts';
import type { PartnerContext, PartnerStatus, partnerMachine } from './partner.machine.ts';
import type { CredentialsTokenStore } from '../../src/storage/ports.ts';
import type { PartnerGateway } from './partner.ports.ts';
import { RegistrationError } from './registration-error.ts';

export interface PartnersDeps {
  host: ActorHost<typeof partnerMachine>;
  ids: () => string[];
  tokens: CredentialsTokenStore;
  gateway: PartnerGateway;
  secrets: Secrets;
  clock: Clock;
  /** Our Credentials object carrying the token the partner is to use with us. */
  ourCredentials: (token: string) => Credentials;
  invitationTtlSeconds: number;
  /** Forgets a partner whose registration never completed: its actor and everything stored for it. */
  discard(id: string): void;
}

export interface AuthenticatedPartner {
  partnerId: string;
  /** A = registration token (versions + credentials only); C = full access. */
  kind: 'A' | 'C';
  status: PartnerStatus;
  /** The token as presented, so GET credentials can return it without us storing it in the clear. */
  token: string;
  context: PartnerContext;
  /** The party the request names as its sender (OCPI-from-*), checked to be one the connection speaks for. */
  party?: Party;
  /** The parties the request acts for: the one it names, else every role of the connection. */
  parties: Party[];
}

export interface PartnerView extends PartnerContext {
  status: PartnerStatus;
}

/** Recording "last contact" on every request would write on every request; once a minute is enough. */
const CONTACT_RESOLUTION_MS = 60_000;

/** Parties' statuses a hub's push waits out (OCPI 2.2.1 HubClientInfo: no requests to such a party). */
const UNREACHABLE: readonly ClientInfo['status'][] = ['OFFLINE', 'PLANNED', 'SUSPENDED'];

/** A connection's own roles are as reachable as the connection itself. */
const ROLE_STATUS: Record<PartnerStatus, ClientInfo['status']> = { invited: 'PLANNED', registering: 'PLANNED', registered: 'CONNECTED', unregistered: 'SUSPENDED' };

/**
 * The partner connections: handshakes in both directions, token checks, and what operators see. What a
 * registration starts and an unregistration stops (initial sync, token pull, the outbox) are the partner
 * machine's named actions, provided by the actor system.
 */
export class Partners {
  constructor(private readonly deps: PartnersDeps) {}

  invite(name: string | undefined) {
    const { host, tokens, secrets, clock, invitationTtlSeconds } = this.deps;
    const now = clock.now();
    const id = crypto.randomUUID();
    const token = generateSecret();
    const expiresAt = new Date(now.getTime() + invitationTtlSeconds * 1000);
    host.create(id, { id, name, initiatedBy: 'emsp', createdAt: now.toISOString() }, () =>
      tokens.issue(id, 'A', secrets.hash(token), now, expiresAt),
    );
    return { partnerId: id, token, expiresAt };
  }

  authenticate(authorization: string | null | undefined): AuthenticatedPartner | undefined {
    const { tokens, secrets, clock, host } = this.deps;
    const candidates = tokenCandidates(authorization);
    const found = tokens.findActive(candidates.map(secrets.hash), clock.now());
    if (!found) return undefined;
    const snapshot = host.snapshot(found.partnerId);
    if (!snapshot || snapshot.value === 'unregistered') return undefined;
    const token = candidates.find((c) => secrets.matches(c, found.tokenHash))!;
    const parties = (snapshot.context.roles ?? []).map(partyOf);
    return { partnerId: found.partnerId, kind: found.kind, status: snapshot.value as PartnerStatus, token, context: snapshot.context, parties };
  }

  /**
   * A hub's report on parties behind it (HubClientInfo, we are Receiver). Only a hub reports: from any other
   * connection it would let a partner stop our pushes to parties it does not host.
   */
  reportClientInfo(partner: AuthenticatedPartner, infos: ClientInfo[]): 'recorded' | 'not-a-hub' {
    if (!isHub(partner.context.roles ?? [])) return 'not-a-hub';
    this.recordClientInfo(partner.partnerId, infos);
    return 'recorded';
  }

  /** What a registered hub reported on parties behind it, pushed or pulled. */
  recordClientInfo(partnerId: string, infos: ClientInfo[]) {
    this.deps.host.send(partnerId, { type: 'CLIENT_INFO', at: this.deps.clock.now().toISOString(), infos });
  }

  /** The ClientInfo the hub reported for a party, as we hold it. */
  clientInfo(partner: AuthenticatedPartner, party: Party): ClientInfo | undefined {
    return this.view(partner.partnerId)?.hubClientInfo.find((info) => sameParty(info, party));
  }

  /** Every party behind the connection and how it is connected: its own roles, then those its hub reported. */
  parties(view: PartnerView): ClientInfo[] {
    const since = { invited: view.createdAt, registering: view.createdAt, registered: view.registeredAt, unregistered: view.unregisteredAt }[view.status] ?? view.createdAt;
    const own = (view.roles ?? []).map((r) => ({ ...partyOf(r), role: r.role, status: ROLE_STATUS[view.status], last_updated: since }));
    return [...own, ...view.hubClientInfo.filter((info) => !own.some((r) => r.role === info.role && sameParty(r, info)))];
  }

  /** Parties behind the connection that its hub reports unreachable: what is for them waits. */
  heldParties(view: PartnerView): Party[] {
    return view.hubClientInfo.filter((info) => UNREACHABLE.includes(info.status)).map(partyOf);
  }

  /** GET credentials: our credentials carrying the token this partner uses with us right now. */
  ourCredentialsFor(partner: AuthenticatedPartner): Credentials {
    return this.deps.ourCredentials(partner.token);
  }

  recordContact(partner: AuthenticatedPartner) {
    const now = this.deps.clock.now();
    const last = partner.context.lastContactAt ? Date.parse(partner.context.lastContactAt) : 0;
    if (partner.status !== 'registered' || now.getTime() - last < CONTACT_RESOLUTION_MS) return;
    this.deps.host.send(partner.partnerId, { type: 'CONTACTED', at: now.toISOString() });
  }

  /** eMSP-initiated registration: POST credentials with our token A (OCPI 2.2.1 credentials, step 6). */
  async register(partner: AuthenticatedPartner, theirs: Credentials): Promise<Credentials> {
    if (partner.kind !== 'A' || partner.status !== 'invited')
      throw new RegistrationError('already-registered', 'Already registered: use PUT to update credentials');
    return this.adoptCredentials(partner, theirs, 'REGISTERED');
  }

  /** PUT credentials: re-read the partner's platform and issue a new token (rotation). */
  async update(partner: AuthenticatedPartner, theirs: Credentials): Promise<Credentials> {
    if (partner.status !== 'registered') throw new RegistrationError('not-registered', 'Not registered: use POST to register');
    return this.adoptCredentials(partner, theirs, 'CREDENTIALS_UPDATED');
  }

  /** DELETE credentials by the partner: both sides' tokens stop working. */
  unregisterByPartner(partner: AuthenticatedPartner) {
    if (partner.status !== 'registered') throw new RegistrationError('not-registered', 'Not registered');
    this.unregister(partner.partnerId, 'partner');
  }

  /** CPO-initiated registration with the versions URL and token A an eMSP gave us out of band. */
  async registerWith(versionsUrl: string, tokenA: string, name: string | undefined): Promise<PartnerView> {
    const { host, tokens, secrets, clock, gateway } = this.deps;
    const id = crypto.randomUUID();
    const tokenB = generateSecret();
    // Read their platform before anything is stored: a wrong or unreachable versions URL leaves no partner behind.
    const platform = await discoverPlatform(gateway, versionsUrl, tokenA);
    // Token B must work before our POST: the eMSP reads our versions with it while answering (spec step 6).
    host.create(id, { id, name, initiatedBy: 'cpo', createdAt: clock.now().toISOString() }, () =>
      tokens.issue(id, 'C', secrets.hash(tokenB), clock.now()),
    );
    try {
      const theirs = await gateway.postCredentials(platform.credentialsUrl, tokenA, this.deps.ourCredentials(tokenB)).catch((error: Error) => {
        throw new RegistrationError('client-api-unusable', `Credentials POST to ${platform.credentialsUrl} failed: ${error.message}`);
      });
      checkRoles(theirs);
      host.send(id, { type: 'REGISTERED', at: clock.now().toISOString(), ...this.platformOf(platform, theirs) });
    } catch (error) {
      // Nothing was agreed with the partner: no row stays behind (the operator retries with a new POST).
      this.deps.discard(id);
      throw error;
    }
    return this.view(id)!;
  }

  /** Operator removes a partner: tell the partner (best effort), then stop accepting and sending anything. */
  async unregisterByOperator(id: string): Promise<{ view: PartnerView; remoteError?: string } | undefined> {
    const view = this.view(id);
    if (!view) return undefined;
    if (view.status === 'unregistered') return { view };
    let remoteError: string | undefined;
    const credentialsUrl = view.endpoints?.find((e) => e.identifier === 'credentials')?.url;
    if (view.status === 'registered' && credentialsUrl && view.sealedTokenOut) {
      await this.deps.gateway
        .deleteCredentials(credentialsUrl, this.deps.secrets.decrypt(view.sealedTokenOut))
        .catch((error: Error) => (remoteError = error.message));
    }
    this.unregister(id, 'operator');
    return { view: this.view(id)!, ...(remoteError ? { remoteError } : {}) };
  }

  view(id: string): PartnerView | undefined {
    const snapshot = this.deps.host.snapshot(id);
    return snapshot && { ...snapshot.context, status: snapshot.value as PartnerStatus };
  }

  list(): PartnerView[] {
    return this.deps.ids().map((id) => this.view(id)!);
  }

  /** The token we present to a registered partner, decrypted only for the outbound call. */
  tokenFor(view: PartnerView): string | undefined {
    return view.sealedTokenOut ? this.deps.secrets.decrypt(view.sealedTokenOut) : undefined;
  }

  private async adoptCredentials(
    partner: AuthenticatedPartner,
    theirs: Credentials,
    type: 'REGISTERED' | 'CREDENTIALS_UPDATED',
  ): Promise<Credentials> {
    const { host, tokens, secrets, clock, gateway } = this.deps;
    checkRoles(theirs);
    const platform = await discoverPlatform(gateway, theirs.url, theirs.token);
    const tokenC = generateSecret();
    const event: PartnerEvent = { type, at: clock.now().toISOString(), ...this.platformOf(platform, theirs) };
    try {
      // The new token replaces every earlier one (token A, or the previous token C) in the same commit.
      host.send(partner.partnerId, event, () => {
        tokens.revokeAll(partner.partnerId, clock.now());
        tokens.issue(partner.partnerId, 'C', secrets.hash(tokenC), clock.now());
      });
    } catch (error) {
      if (error instanceof ActorEventRejected) throw new RegistrationError('already-registered', 'Registration changed concurrently');
      throw error;
    }
    return this.deps.ourCredentials(tokenC);
  }

  private platformOf(platform: Awaited<ReturnType<typeof discoverPlatform>>, theirs: Credentials) {
    return {
      roles: theirs.roles,
      versionsUrl: platform.versionsUrl,
      version: platform.version,
      endpoints: platform.endpoints,
      sealedTokenOut: this.deps.secrets.encrypt(theirs.token),
    };
  }

  private unregister(id: string, by: 'partner' | 'operator') {
    const { host, tokens, clock } = this.deps;
    host.send(id, { type: 'UNREGISTERED', at: clock.now().toISOString(), by }, () => tokens.revokeAll(id, clock.now()));
  }
}

/** One connection speaks for all the roles it lists, each at most once (OCPI 2.2.1 CredentialsRole). */
function checkRoles(credentials: Credentials) {
  const twice = duplicateRole(credentials.roles);
  if (twice) throw new RegistrationError('invalid-credentials', `roles: ${twice.role} ${twice.country_code}/${twice.party_id} is listed twice`);
}
