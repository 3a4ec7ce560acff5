/**
 * Which node owns which station (several nodes). The node that authenticates a station's socket claims it: a
 * lease in Redis with a new fencing epoch, written to the database too before any of the station's messages is
 * handled. Every write of the station's actors checks, in its transaction, that no newer epoch is stored
 * (`fence`), so a node that lost the station — told by the new owner, or finding its lease gone on renewal, or
 * waking from a pause — cannot write for it. The loser closes its socket and drops the station's actors.
 */
import type { StationOwnershipPort } from '../../actors/system/actor-system.ports.ts';
import type { Logger } from '../lib/logger.ts';
import type { StationEpochs, Transact } from '../storage/ports.ts';
import type { Leases } from './leases.ts';
import type { NodeBus } from './node-bus.ts';

/** A write refused because another node has claimed the station since this node did. */
export class StaleOwnership extends Error {
  /** Crosses the node bus with the error (a node asked to write for a station it lost says so). */
  override readonly name = 'StaleOwnership';
  constructor(chargePointId: string) {
    super(`Station ${chargePointId} is owned by another node now`);
  }
}

export class StationOwnership implements StationOwnershipPort {
  /** Stations this node claimed, with their epoch; `lost` ones stay (refusing writes) until their socket is closed. */
  private readonly claims = new Map<string, { epoch: number; lost: boolean }>();
  /** What to do when a station is lost: close its socket here and drop its actors (wired in src/app.ts). */
  onLost: (chargePointId: string) => void = () => {};
  /** What this node held of the station from an earlier claim is stale now: drop it (wired in src/app.ts). */
  onClaimed: (chargePointId: string) => void = () => {};

  constructor(
    private readonly deps: { leases: Leases; bus: NodeBus; epochs: StationEpochs; transact: Transact; logger: Logger },
  ) {
    deps.bus.on('station-claimed', ({ chargePointId, epoch }: { chargePointId: string; epoch: number }) => this.lose(chargePointId, epoch));
  }

  /** Claims the station for this node; resolves once its epoch is in the database (before any message is handled). */
  async claim(chargePointId: string): Promise<number> {
    const { leases, epochs, transact, bus } = this.deps;
    const epoch = await leases.claim(chargePointId, epochs.current(chargePointId) ?? 0);
    transact(() => epochs.advance(chargePointId, epoch));
    this.claims.set(chargePointId, { epoch, lost: false });
    this.onClaimed(chargePointId);
    bus.broadcast('station-claimed', { chargePointId, epoch });
    return epoch;
  }

  /**
   * Takes a station no node holds (its node died and it has not come back): this node keeps its record from now
   * on — marks it disconnected and runs its offline grace — until it connects to some node. False when a node holds it.
   */
  async adopt(chargePointId: string): Promise<boolean> {
    const { leases, epochs, transact, bus } = this.deps;
    const epoch = await leases.acquire(chargePointId, epochs.current(chargePointId) ?? 0);
    if (epoch === undefined) return false;
    transact(() => epochs.advance(chargePointId, epoch));
    this.claims.set(chargePointId, { epoch, lost: false });
    this.onClaimed(chargePointId);
    bus.broadcast('station-claimed', { chargePointId, epoch });
    return true;
  }

  /** Lease renewal found another holder, or another node announced its claim: this node lost the station. */
  lose(chargePointId: string, newerEpoch?: number) {
    const claim = this.claims.get(chargePointId);
    if (!claim || claim.lost || (newerEpoch !== undefined && newerEpoch <= claim.epoch)) return;
    claim.lost = true;
    this.deps.leases.drop(chargePointId);
    this.deps.logger.warn('Station taken over by another node', { chargePointId, epoch: claim.epoch, newerEpoch });
    this.onLost(chargePointId);
  }

  /** The station's socket on this node is gone: a lost claim stops refusing (nothing of the old socket is left). */
  socketClosed(chargePointId: string) {
    if (this.claims.get(chargePointId)?.lost) this.claims.delete(chargePointId);
  }

  fence(chargePointId: string): void {
    const claim = this.claims.get(chargePointId);
    if (!claim) return;
    const stored = this.deps.epochs.current(chargePointId);
    if (claim.lost || (stored !== undefined && stored > claim.epoch)) throw new StaleOwnership(chargePointId);
  }

  holds(chargePointId: string): boolean {
    const claim = this.claims.get(chargePointId);
    return claim !== undefined && !claim.lost;
  }

  /** The node holding the station's lease, if any (where its socket is). */
  async ownerNode(chargePointId: string): Promise<string | undefined> {
    return (await this.deps.leases.holder(chargePointId))?.node;
  }
}
