/**
 * CommandResults the CPO posts to the response_urls of our commands (OCPI 2.2.1 commands: asynchronous
 * result). Each command we send waits here for its result; OCPI has no retries, so after the CPO's advertised
 * `timeout` (plus a grace period for the delivery) we stop waiting and the waiter gets `undefined`.
 */
import { ocpiDateTime } from '../../lib/clock.ts';
import type { CommandResult, CommandType } from '../../model/ocpi/commands.ts';

export interface CommandResultRecord {
  commandId: string;
  /** The command it answers; undefined for a result at a response_url we do not know. */
  command: CommandType | undefined;
  result: CommandResult;
  received_at: string;
}

export type CommandTracker = ReturnType<typeof createCommandTracker>;

interface Pending {
  resolve: (result: CommandResult | undefined) => void;
  timer?: ReturnType<typeof setTimeout>;
}

export function createCommandTracker(graceMs: number) {
  const pending = new Map<string, Pending>();
  /** Every command we sent, so a result arriving after we stopped waiting is still attributed. */
  const sent = new Map<string, CommandType>();
  const received: CommandResultRecord[] = [];
  const settle = (commandId: string, result: CommandResult | undefined) => {
    const waiting = pending.get(commandId);
    if (!waiting) return;
    pending.delete(commandId);
    clearTimeout(waiting.timer);
    waiting.resolve(result);
  };

  return {
    /**
     * Registers a command before it is sent: the CPO may post the result before its answer to the command
     * reaches us.
     */
    expect(commandId: string, command: CommandType): Promise<CommandResult | undefined> {
      sent.set(commandId, command);
      return new Promise((resolve) => pending.set(commandId, { resolve }));
    },
    /** The CPO accepted the command: wait `timeoutS` (its CommandResponse.timeout) plus the grace period. */
    arm(commandId: string, timeoutS: number) {
      const waiting = pending.get(commandId);
      if (waiting) waiting.timer = setTimeout(() => settle(commandId, undefined), Math.max(0, timeoutS) * 1000 + graceMs);
    },
    /** No result will come (the command was refused, or never reached the CPO). */
    abandon: (commandId: string) => settle(commandId, undefined),
    receive(commandId: string, result: CommandResult): CommandResultRecord {
      const record: CommandResultRecord = { commandId, command: sent.get(commandId), result, received_at: ocpiDateTime(new Date()) };
      received.push(record);
      settle(commandId, result);
      return record;
    },
    list: (): CommandResultRecord[] => [...received],
    stop() {
      for (const commandId of [...pending.keys()]) settle(commandId, undefined);
    },
  };
}
