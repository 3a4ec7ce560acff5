import type { DeliveryLease } from '../../actors/partner/deliveries.ts';
import type { Leases } from './leases.ts';
import type { NodeBus } from './node-bus.ts';

/**
 * One node at a time delivers each outbox channel (a partner, the payments): the holder of the channel's lease.
 * New rows wake the holder wherever they were written; the other nodes look again every half lease, so one of
 * them takes over within about a lease time when the holder dies. Acknowledged rows are marked delivered in
 * the shared database, so the next holder never sends them again.
 */
export function deliveryLease(leases: Leases, bus: NodeBus, wake: (channel: string) => void): DeliveryLease {
  bus.on('delivery-work', ({ channel }: { channel: string }) => wake(channel));
  return {
    hold: async (channel) => (await leases.acquire(channel)) !== undefined,
    retryMs: Math.ceil(leases.leaseMs / 2),
    announce: (channel) => bus.broadcast('delivery-work', { channel }),
  };
}
