import type { Credentials } from '../../src/model/ocpi/credentials.ts';
import type { Version, VersionDetails } from '../../src/model/ocpi/versions.ts';

/** Outbound OCPI calls to a partner platform (implemented over HTTP in src/ocpi/client). */
export interface PartnerGateway {
  getVersions(versionsUrl: string, token: string): Promise<Version[]>;
  getVersionDetails(versionUrl: string, token: string): Promise<VersionDetails>;
  postCredentials(credentialsUrl: string, token: string, ours: Credentials): Promise<Credentials>;
  deleteCredentials(credentialsUrl: string, token: string): Promise<void>;
  /** A push (PUT/PATCH/POST/DELETE) to a partner's Receiver endpoint or a response_url. Never throws. */
  push(request: PushRequest): Promise<PushOutcome>;
}

export interface PushRequest {
  method: 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  url: string;
  token: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Retryable: the partner may succeed later (network, timeout, 5xx, 401 during a rotation, OCPI 3xxx). */
export type PushOutcome = { ok: true; location?: string } | { ok: false; retryable: boolean; error: string };

/** Credentials tokens partners present to us, kept as keyed hashes. */
export interface CredentialsTokenStore {
  findActive(hashes: string[], now: Date): { tokenHash: string; partnerId: string; kind: 'A' | 'C' } | undefined;
  issue(partnerId: string, kind: 'A' | 'C', tokenHash: string, now: Date, expiresAt?: Date): void;
  revokeAll(partnerId: string, now: Date): void;
  revoke(tokenHash: string, now: Date): void;
}
