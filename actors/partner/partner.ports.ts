import type { Credentials } from '../../src/model/ocpi/credentials.ts';
import type { Version, VersionDetails } from '../../src/model/ocpi/versions.ts';

/** Outbound OCPI calls to a partner platform (implemented over HTTP in src/ocpi/client). */
export interface PartnerGateway {
  getVersions(versionsUrl: string, token: string): Promise<Version[]>;
  getVersionDetails(versionUrl: string, token: string): Promise<VersionDetails>;
  postCredentials(credentialsUrl: string, token: string, ours: Credentials): Promise<Credentials>;
  deleteCredentials(credentialsUrl: string, token: string): Promise<void>;
}

/** Credentials tokens partners present to us, kept as keyed hashes. */
export interface CredentialsTokenStore {
  findActive(hashes: string[], now: Date): { tokenHash: string; partnerId: string; kind: 'A' | 'C' } | undefined;
  issue(partnerId: string, kind: 'A' | 'C', tokenHash: string, now: Date, expiresAt?: Date): void;
  revokeAll(partnerId: string, now: Date): void;
  revoke(tokenHash: string, now: Date): void;
}
