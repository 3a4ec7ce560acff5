/** The deliveries (one actor per outbox channel: a partner's pushes, the payments jobs) and the partner feed that fills the outbox. */
import { PAYMENTS_CHANNEL } from '../../guest/payment-jobs.ts';
import { paymentJobsSender } from '../../guest/payment-jobs.ts';
import { Deliveries } from '../../partner/deliveries.ts';
import { OutboxFeed } from '../../partner/partner-feed.ts';
import { partnerPushSender } from '../../partner/partner-push.ts';
import type { Partners } from '../../partner/partners.ts';
import type { ChargingNetworkPort } from '../actor-system.ports.ts';
import type { KindWiring } from './wiring.ts';

export function deliveryKind<N extends ChargingNetworkPort>({ ports, commits, system }: KindWiring<N>, partners: Partners) {
  const { storage, clock, logger, settings, partnerGateway: gateway } = ports;
  const deliveries = new Deliveries({
    outbox: storage.outbox,
    // The payments channel reports back to the guest sessions, which exist by the time anything is delivered.
    senderFor: (channel) => (channel === PAYMENTS_CHANNEL ? paymentJobsSender(ports.payments, () => system.guests) : partnerPushSender(channel, { partners, gateway })),
    transact: storage.transact,
    clock,
    logger,
    policy: settings.delivery,
    afterCommit: (fn) => commits.afterCommit(fn),
    ...(ports.onDeadLetter ? { onDeadLetter: ports.onDeadLetter } : {}),
    ...(ports.deliveryLease ? { lease: ports.deliveryLease } : {}),
  });
  const feed = new OutboxFeed(deliveries, partners, storage.tokens.holderOf, settings.sessionPatchIntervalSeconds * 1000);
  return { deliveries, feed };
}
