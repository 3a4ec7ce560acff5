/** Where the CPO posts the CommandResult of each command we sent (the response_url we gave it). */
import type { CommandResult } from '../../model/ocpi/commands.ts';
import type { EmspContext } from './context.ts';
import { ok } from './envelope.ts';
import { MODULES_PATH } from './paths.ts';
import type { Route } from './router.ts';
import { requireObject, requireStrings } from './validate.ts';

export function commandsRoutes(ctx: EmspContext): Route[] {
  return [
    {
      method: 'POST',
      path: `${MODULES_PATH}/commands/results/:commandId`,
      access: 'functional',
      handle({ params, body }) {
        const result = requireObject<CommandResult>(body, 'CommandResult', ['result']);
        requireStrings(result, 'CommandResult', ['result']);
        const record = ctx.commands.receive(params.commandId!, result);
        ctx.emit('command-result', `${record.command ?? 'unknown command'} ${record.commandId}: ${result.result}`);
        return ok();
      },
    },
  ];
}
