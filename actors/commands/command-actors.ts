import { createActor, fromPromise, type Actor } from 'xstate';
import { xstateClock, type Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { Party } from '../../src/domain/parties.ts';
import type { CommandRecord, CommandStore } from '../../src/storage/ports.ts';
import type { AuthenticatedPartner } from '../partner/partners.ts';
import { commandMachine, type FailureResults, type Settlement } from './command.machine.ts';
import type { Reception } from './command-targets.ts';

export type { Settlement } from './command.machine.ts';

/** What a command does at the station once accepted: its OCPP call(s), resolving to its result (word or settlement). */
export type StationWork = (command: CommandRecord) => Promise<string | Settlement>;

/** A kind of command (by row type): its results without a station answer, and what else its settling commits. */
export interface CommandKind {
  failures: FailureResults;
  /** Runs inside the transaction that settles a command of this kind (e.g. records what the station accepted). */
  settled?(command: CommandRecord, settlement: Settlement): void;
}

export interface CommandActorDeps {
  store: CommandStore;
  station: { call(chargePointId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown> };
  /** Queues the result body for the partner's response_url (durable outbox), for the party `to` behind it; call inside a transaction. */
  deliverResult(partnerId: string, commandId: string, responseUrl: string, body: Record<string, unknown>, to: Party | null): void;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  logger: Logger;
  timeoutSeconds: number;
}

/**
 * The live command actors (commandMachine), one per open command, kept in a Map by id and run on the Clock
 * port. OCPI commands and charging-profile requests are both commands here, each kind registered with its
 * results. The command row is each actor's durable record — no machine snapshot is stored: what a restored actor
 * needs is the row's type and deadline_ms, and whether it is still open is its `result` (settled once, in the
 * transaction that queues the result for the response_url). At boot `resume()` starts an actor for every open
 * row, which waits for its deadline only: the station call died with the old process and is not repeated.
 */
export class CommandActors {
  private readonly live = new Map<string, Actor<typeof commandMachine>>();
  /** Station work of accepted commands, taken by their actor's `callStation` when it starts. */
  private readonly pending = new Map<string, () => Promise<Settlement>>();
  private readonly kinds = new Map<string, CommandKind>();
  /** Open commands accepted elsewhere whose deadline an actor here waits for (started by `resume()`). */
  private readonly resumed = new Set<string>();
  private readonly machine: typeof commandMachine;

  constructor(private readonly deps: CommandActorDeps) {
    this.machine = commandMachine.provide({
      actors: {
        callStation: fromPromise<Settlement, { commandId: string; deadlineMs: number }>(async ({ input }) => {
          const work = this.pending.get(input.commandId);
          this.pending.delete(input.commandId);
          if (!work) throw new Error(`No station work for command ${input.commandId}`);
          // The station is contacted after we answered the eMSP: the response is never held up by the charger.
          await Promise.resolve();
          return work();
        }),
      },
      actions: {
        settle: ({ context }, { settlement }) => this.settle(context.commandId, settlement),
        reportBug: ({ context }, { error }) => this.deps.logger.error('Command failed', { command: context.commandId, type: context.type, error }),
      },
    });
  }

  /** Registers the row types of a kind of command; before `resume()`, so restored commands find their kind. */
  register(types: readonly string[], kind: CommandKind) {
    for (const type of types) this.kinds.set(type, kind);
  }

  /**
   * Records an accepted command with its deadline and starts its actor, which carries out `work`. Its result is
   * for `to` — the party whose token it is — else the party the request named.
   */
  accept(partner: AuthenticatedPartner, type: string, body: { response_url: string }, target: { chargePointId: string; ocppEvseId: number }, ocppIdTag: string | null, work: StationWork, to?: Party): Reception {
    const now = this.deps.clock.now().getTime();
    const command: CommandRecord = {
      id: crypto.randomUUID(),
      partnerId: partner.partnerId,
      type,
      body,
      chargePointId: target.chargePointId || null,
      ocppEvseId: target.chargePointId ? target.ocppEvseId : null,
      ocppIdTag,
      createdAtMs: now,
      deadlineMs: now + this.deps.timeoutSeconds * 1000,
      result: null,
      to: to ?? partner.party ?? null,
    };
    const { result: _open, ...row } = command;
    this.deps.store.insert(row);
    this.pending.set(command.id, async () => {
      const answer = await work(command);
      return typeof answer === 'string' ? { result: answer } : answer;
    });
    this.start(command, false);
    return { response: { result: 'ACCEPTED', timeout: this.deps.timeoutSeconds } };
  }

  /** Our CALL for a command, within what is left of its deadline. */
  call(command: CommandRecord, action: string, payload: unknown): Promise<unknown> {
    const left = Math.max(1, command.deadlineMs - this.deps.clock.now().getTime());
    return this.deps.station.call(command.chargePointId!, action, payload, left);
  }

  /**
   * After a restart (several nodes: on becoming the timekeeper, and every few lease times after): every open
   * command without an actor here gets one, waiting for its deadline. A command still open on the node that
   * accepted it then has two actors; the first to settle it wins (`store.settle` is a compare-and-set).
   */
  resume(): void {
    for (const command of this.deps.store.open()) {
      if (this.live.has(command.id)) continue;
      this.resumed.add(command.id);
      this.start(command, true);
    }
  }

  /** Several nodes, the timekeeper lease lost: the actors `resume()` started stop (the next timekeeper has them). */
  stopResumed(): void {
    for (const id of [...this.resumed]) {
      this.live.get(id)?.stop();
      this.forget(id);
    }
  }

  /** Open commands with a live actor (their rows stay open across a stop; the next start re-arms them). */
  get size(): number {
    return this.live.size;
  }

  /** Stops every live actor (their timers go with them); what they settled is committed. */
  stopAll(): void {
    for (const actor of this.live.values()) actor.stop();
    this.live.clear();
    this.resumed.clear();
    this.pending.clear();
  }

  private start(command: CommandRecord, resumed: boolean) {
    const input = { commandId: command.id, type: command.type, deadlineMs: command.deadlineMs, nowMs: this.deps.clock.now().getTime(), resumed, failures: this.kindOf(command.type).failures };
    const actor = createActor(this.machine, { input, clock: xstateClock(this.deps.clock) });
    this.live.set(command.id, actor);
    actor.subscribe({
      complete: () => this.forget(command.id),
      error: (error) => {
        // Settling failed (e.g. the database): the row stays open and the next start times it out.
        this.deps.logger.error('Command actor failed', { command: command.id, type: command.type, error });
        this.forget(command.id);
      },
    });
    actor.start();
  }

  private forget(id: string) {
    this.live.delete(id);
    this.resumed.delete(id);
  }

  private kindOf(type: string): CommandKind {
    const kind = this.kinds.get(type);
    if (!kind) throw new Error(`No command kind registered for ${type}`);
    return kind;
  }

  /** The result, once: the row is settled, the kind's effects made and the result queued in one transaction. */
  private settle(commandId: string, settlement: Settlement) {
    this.deps.transact(() => {
      const command = this.deps.store.get(commandId);
      if (!command || !this.deps.store.settle(commandId, settlement.result)) return;
      this.kindOf(command.type).settled?.(command, settlement);
      this.deps.deliverResult(command.partnerId, commandId, (command.body as { response_url: string }).response_url, { result: settlement.result, ...settlement.extra }, command.to);
    });
  }
}
