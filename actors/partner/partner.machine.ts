import { assign, setup } from 'xstate';
import { sameParty } from '../../src/domain/parties.ts';
import type { ClientInfo } from '../../src/model/ocpi/hub-client-info.ts';
import type { PartnerEvent, PartnerPlatform } from './partner.events.ts';

/**
 * Bump when the context shape changes, so stored snapshots can be recognised (actors/system/actor-host.ts).
 * 2: `hubClientInfo`; snapshots of version 1 are upgraded as they are loaded (partner-snapshots.ts).
 */
export const PARTNER_MACHINE_VERSION = 2;

export interface PartnerContext extends Partial<PartnerPlatform> {
  id: string;
  name?: string;
  /** Who started the credentials handshake: the eMSP (with our token A) or we (with theirs). */
  initiatedBy: 'emsp' | 'cpo';
  createdAt: string;
  registeredAt?: string;
  unregisteredAt?: string;
  lastContactAt?: string;
  /** The parties behind a hub and how they are connected, as the hub last reported each (HubClientInfo). */
  hubClientInfo: ClientInfo[];
}

export type PartnerInput = Pick<PartnerContext, 'id' | 'name' | 'initiatedBy' | 'createdAt'>;

/**
 * A partner connection: invited (we handed out token A) or registering (we called their credentials) →
 * registered → unregistered. The HTTP work of a handshake happens outside (partners.ts);
 * the machine records its outcome, so a restart restores exactly what was agreed.
 */
export const partnerMachine = setup({
  types: { context: {} as PartnerContext, events: {} as PartnerEvent, input: {} as PartnerInput },
  actions: {
    adoptPlatform: assign(({ event }) => {
      if (event.type !== 'REGISTERED' && event.type !== 'CREDENTIALS_UPDATED') return {};
      const { roles, versionsUrl, version, endpoints, sealedTokenOut, at } = event;
      return { roles, versionsUrl, version, endpoints, sealedTokenOut, lastContactAt: at };
    }),
    /** Provided by the actor system, in the registration's commit: the initial sync and the token pull. */
    connectionOpened: () => {},
    /** Provided by the actor system, in the unregistration's commit: everything queued for the partner stops. */
    connectionClosed: () => {},
    /** One ClientInfo per party: a newer report replaces the one held (the hub owns these objects). */
    adoptClientInfo: assign(({ context, event }) => {
      if (event.type !== 'CLIENT_INFO') return {};
      const kept = context.hubClientInfo.filter((held) => !event.infos.some((info) => sameParty(info, held)));
      return { hubClientInfo: [...kept, ...event.infos], lastContactAt: event.at };
    }),
    /** Provided by the actor system, after a hub's report commits: what waited for a party now reachable may go. */
    partiesReported: () => {},
  },
}).createMachine({
  id: 'partner',
  context: ({ input }) => ({ id: input.id, name: input.name, initiatedBy: input.initiatedBy, createdAt: input.createdAt, hubClientInfo: [] }),
  initial: 'start',
  states: {
    start: { always: [{ guard: ({ context }) => context.initiatedBy === 'cpo', target: 'registering' }, { target: 'invited' }] },
    invited: {
      on: {
        REGISTERED: { target: 'registered', actions: ['adoptPlatform', assign({ registeredAt: ({ event }) => event.at })] },
        UNREGISTERED: { target: 'unregistered', actions: assign({ unregisteredAt: ({ event }) => event.at }) },
      },
    },
    registering: {
      on: {
        REGISTERED: { target: 'registered', actions: ['adoptPlatform', assign({ registeredAt: ({ event }) => event.at })] },
      },
    },
    registered: {
      entry: 'connectionOpened',
      on: {
        CREDENTIALS_UPDATED: { actions: 'adoptPlatform' },
        CONTACTED: { actions: assign({ lastContactAt: ({ event }) => event.at }) },
        CLIENT_INFO: { actions: ['adoptClientInfo', 'partiesReported'] },
        UNREGISTERED: {
          target: 'unregistered',
          actions: [assign({ unregisteredAt: ({ event }) => event.at, sealedTokenOut: undefined }), 'connectionClosed'],
        },
      },
    },
    unregistered: { type: 'final' },
  },
});

export type PartnerStatus = 'invited' | 'registering' | 'registered' | 'unregistered';
