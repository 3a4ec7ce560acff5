/** The partners: their host (versioned between nodes), what a registration and an unregistration set off, real-time authorization. */
import { pullClientInfo } from '../../partner/client-info-pull.ts';
import { partnerSnapshotUpgrades } from '../../partner/partner-snapshots.ts';
import { PARTNER_MACHINE_VERSION, partnerMachine } from '../../partner/partner.machine.ts';
import { Partners } from '../../partner/partners.ts';
import { RealTimeAuthorization } from '../../partner/real-time-authorization.ts';
import { pullTokens } from '../../partner/token-pull.ts';
import { ActorHost } from '../actor-host.ts';
import { upgradingSnapshots } from '../snapshot-upgrades.ts';
import type { ChargingNetworkPort } from '../actor-system.ports.ts';
import type { KindWiring } from './wiring.ts';

export function partnerKind<N extends ChargingNetworkPort>(wiring: KindWiring<N>) {
  const { ports, commits, now, system } = wiring;
  const { storage, clock, logger, secrets, settings, partnerGateway: gateway, ownership } = ports;
  const partnerLogic = partnerMachine.provide({
    actions: {
      connectionOpened: ({ context }) => host.deferred(() => connectionOpened(wiring, partners, context.id))(),
      connectionClosed: ({ context }) => host.deferred(() => connectionClosed(wiring, context.id))(),
      // After the commit: the delivery actor looks again, with the parties the hub now reports reachable.
      partiesReported: ({ context }) => commits.afterCommit(() => system.deliveries.wake(context.id)),
    },
  });
  // Several nodes: a partner's registration or credentials may change on any node, so its copy here is used only
  // while it is the stored version, and saved by compare-and-set (actor-host.ts, HostPolicy.versioned).
  const snapshots = upgradingSnapshots(storage.partnerSnapshots, PARTNER_MACHINE_VERSION, partnerSnapshotUpgrades);
  const host: ActorHost<typeof partnerLogic> = new ActorHost(partnerLogic, PARTNER_MACHINE_VERSION, snapshots, commits, now, undefined, undefined, ownership ? { versioned: snapshots } : {});
  const partners: Partners = new Partners({
    host,
    ids: () => storage.partnerSnapshots.ids(),
    tokens: storage.credentialsTokens,
    gateway,
    secrets,
    clock,
    invitationTtlSeconds: settings.invitationTtlSeconds,
    ourCredentials: ports.ourCredentials,
    discard: (id) =>
      storage.transact(() => {
        host.forget(id);
        storage.partnerSnapshots.delete(id);
      }),
  });
  const realTime = new RealTimeAuthorization({ partners, gateway, logger, timeoutMs: settings.authorizeTimeoutMs, holderOf: storage.tokens.holderOf });
  return { host, partners, realTime };
}

/** A registration (either direction) commits with its initial sync queued; the partner's tokens are pulled after. */
function connectionOpened<N extends ChargingNetworkPort>({ ports, commits, system }: KindWiring<N>, partners: Partners, partnerId: string) {
  const { tariffs, locations } = system.network.snapshot();
  system.feed.initialSync(partnerId, tariffs, locations);
  const { partnerGateway: gateway, logger, storage } = ports;
  // After the commit: their tokens feed our whitelist; a failure is logged and their later pushes fill the cache anyway.
  commits.afterCommit(() =>
    void pullTokens(partnerId, { partners, gateway, logger, tokens: storage.tokens }).catch((error: Error) =>
      logger.warn('Pulling the partner’s tokens failed', { partnerId, error }),
    ),
  );
  // A hub's parties: until it reports them, every party behind it counts as reachable.
  commits.afterCommit(() =>
    void pullClientInfo(partnerId, { partners, gateway, logger }).catch((error: Error) =>
      logger.warn('Pulling the hub’s ClientInfo failed', { partnerId, error }),
    ),
  );
}

/** Inside the unregistration's commit: nothing more goes out to the partner, and its tokens no longer authorize. */
function connectionClosed<N extends ChargingNetworkPort>({ ports, system }: KindWiring<N>, partnerId: string) {
  system.deliveries.cancel(partnerId);
  ports.storage.tokens.deleteForPartner(partnerId);
}
