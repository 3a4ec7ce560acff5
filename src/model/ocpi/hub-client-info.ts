/** OCPI 2.2.1 HubClientInfo module objects (digest 4.8, 5.8): a hub tells us how the parties behind it are connected. */
import { t } from 'elysia';
import type { Static } from '@sinclair/typebox';
import { CiString, DateTime, Role, StringEnum } from './types.ts';

/** PLANNED: never connected yet; SUSPENDED: gone for good; OFFLINE: not reachable for now. */
export const ConnectionStatus = StringEnum('ConnectionStatus', ['CONNECTED', 'OFFLINE', 'PLANNED', 'SUSPENDED']);
export type ConnectionStatus = Static<typeof ConnectionStatus>;

export const ClientInfo = t.Object(
  {
    /** As used in the credentials exchange. */
    party_id: CiString(3),
    country_code: CiString(2),
    role: Role,
    status: ConnectionStatus,
    last_updated: DateTime,
  },
  // The module's own example (PUT .../clientinfo/NL/ALL), with the last_updated 2.2.1 requires.
  { title: 'ClientInfo', examples: [{ country_code: 'NL', party_id: 'ALL', role: 'CPO', status: 'PLANNED', last_updated: '2019-01-28T12:00:00Z' }] },
);
export type ClientInfo = Static<typeof ClientInfo>;
