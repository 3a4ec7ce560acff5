import type { CredentialsRole } from '../../src/model/ocpi/credentials.ts';
import type { ClientInfo } from '../../src/model/ocpi/hub-client-info.ts';
import type { Endpoint } from '../../src/model/ocpi/versions.ts';

/** What we learned about the partner's OCPI platform during a handshake or a credentials update. */
export interface PartnerPlatform {
  roles: CredentialsRole[];
  versionsUrl: string;
  version: string;
  endpoints: Endpoint[];
  /** The token we present to the partner, sealed with SECRET_KEY (never plaintext in a snapshot). */
  sealedTokenOut: string;
}

export type PartnerEvent =
  | ({ type: 'REGISTERED'; at: string } & PartnerPlatform)
  | ({ type: 'CREDENTIALS_UPDATED'; at: string } & PartnerPlatform)
  | { type: 'UNREGISTERED'; at: string; by: 'partner' | 'operator' }
  | { type: 'CONTACTED'; at: string }
  /** A hub told us how a party behind it is connected (HubClientInfo PUT, or its list pulled at registration). */
  | { type: 'CLIENT_INFO'; at: string; infos: ClientInfo[] };
