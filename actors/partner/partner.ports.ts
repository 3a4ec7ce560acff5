import type { Credentials } from '../../src/model/ocpi/credentials.ts';
import type { AuthorizationInfo, LocationReferences } from '../../src/model/ocpi/token.ts';
import type { Version, VersionDetails } from '../../src/model/ocpi/versions.ts';
import type { Party } from '../../src/domain/parties.ts';

export type { Party } from '../../src/domain/parties.ts';

/**
 * Outbound OCPI calls to a partner platform (implemented over HTTP in src/ocpi/client). Calls to functional
 * modules name their addressee (`to`) and carry the OCPI routing headers, with us as the sender; calls to
 * configuration modules (versions, credentials) carry none (OCPI 2.2.1 §1.9), which is why they take no `to`.
 */
export interface PartnerGateway {
  getVersions(versionsUrl: string, token: string): Promise<Version[]>;
  getVersionDetails(versionUrl: string, token: string): Promise<VersionDetails>;
  postCredentials(credentialsUrl: string, token: string, ours: Credentials): Promise<Credentials>;
  deleteCredentials(credentialsUrl: string, token: string): Promise<void>;
  /**
   * One page of a partner's Sender list; `next` from its Link header. A functional module's (tokens) is addressed
   * to `to`; a configuration module's (a hub's hubclientinfo) carries no routing headers.
   */
  getPage(url: string, token: string, to: Party | undefined, module?: 'functional' | 'configuration'): Promise<{ items: unknown[]; next?: string }>;
  /** Real-time authorization (OCPI 2.2.1 tokens, eMSP Sender): 'unknown' is the eMSP's 2004; no `to`: open routing via a hub. */
  authorize(url: string, token: string, to: Party | undefined, where: LocationReferences | undefined, timeoutMs: number): Promise<AuthorizationInfo | 'unknown'>;
  /** A push (PUT/PATCH/POST/DELETE) to a partner's Receiver endpoint or a response_url. Never throws. */
  push(request: PushRequest): Promise<PushOutcome>;
}

export interface PushRequest {
  method: 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  url: string;
  token: string;
  body?: unknown;
  /** The party behind the connection it is for (undefined: it registered none, so no OCPI-to-* headers). */
  to: Party | undefined;
}

/** Retryable: the partner may succeed later (network, timeout, 5xx, 401 during a rotation, OCPI 3xxx). */
export type PushOutcome = { ok: true; location?: string } | { ok: false; retryable: boolean; error: string };
