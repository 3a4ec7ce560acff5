import { Elysia, t } from 'elysia';
import type { Reception } from '../../../../actors/commands/commands.ts';
import { CancelReservation, CommandResponse, ReserveNow, StartSession, StopSession, UnlockConnector } from '../../../model/ocpi/commands.ts';
import { envelope, Envelope } from '../../transport/envelope.ts';
import { tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

export const commandsModule: OcpiModule = { identifier: 'commands', role: 'RECEIVER' };

const Answer = Envelope(CommandResponse);
/** HTTP 404 + 2003 still carries a CommandResponse (REJECTED), as the spec's commands module asks. */
const UnknownTarget = t.Object(Answer.properties, {
  description: 'HTTP 404, status_code 2003: unknown location, EVSE or connector; data is a REJECTED CommandResponse',
  examples: [
    {
      data: { result: 'REJECTED', timeout: 0, message: [{ language: 'en', text: 'Unknown EVSE 3259' }] },
      status_code: 2003,
      status_message: 'Unknown EVSE 3259 at location LOC1',
      timestamp: '2015-06-30T21:59:59Z',
    },
  ],
});

/** Commands Receiver interface (OCPI 2.2.1 commands): answered at once, the CommandResult follows to response_url. */
export function commandsRoutes(deps: OcpiDeps) {
  const { config, clock, partners, commands } = deps;
  const render = (reception: Reception, set: { status?: number | string }) => {
    if (!reception.unknownObject) return envelope(clock, reception.response);
    set.status = 404;
    return envelope(clock, reception.response, 2003, reception.unknownObject);
  };
  const detail = (summary: string) => ({ summary });
  return new Elysia({ name: 'ocpi.commands', prefix: `${cpoBasePath}/commands`, detail: { tags: ['OCPI commands'] } })
    .use(tokenAuth(partners, config, 'functional'))
    .post('/START_SESSION', ({ partner, body, set }) => render(commands.startSession(partner, body), set), {
      body: StartSession,
      response: { 200: Answer, 404: UnknownTarget },
      detail: detail('Start charging: RemoteStartTransaction / RequestStartTransaction'),
    })
    .post('/STOP_SESSION', ({ partner, body, set }) => render(commands.stopSession(partner, body), set), {
      body: StopSession,
      response: { 200: Answer, 404: UnknownTarget },
      detail: detail('Stop a session: RemoteStopTransaction / RequestStopTransaction'),
    })
    .post('/RESERVE_NOW', ({ partner, body, set }) => render(commands.reserveNow(partner, body), set), {
      body: ReserveNow,
      response: { 200: Answer, 404: UnknownTarget },
      detail: detail('Reserve an EVSE until expiry_date: ReserveNow'),
    })
    .post('/CANCEL_RESERVATION', ({ partner, body, set }) => render(commands.cancelReservation(partner, body), set), {
      body: CancelReservation,
      response: { 200: Answer, 404: UnknownTarget },
      detail: detail('Cancel one of your reservations: CancelReservation'),
    })
    .post('/UNLOCK_CONNECTOR', ({ partner, body, set }) => render(commands.unlockConnector(partner, body), set), {
      body: UnlockConnector,
      response: { 200: Answer, 404: UnknownTarget },
      detail: detail('Unlock a connector (help desk): UnlockConnector'),
    })
    .post('/:command', ({ params }) => envelope(clock, { result: 'NOT_SUPPORTED' as const, timeout: 0, message: [{ language: 'en', text: `Unknown command ${params.command}` }] }), {
      params: t.Object({ command: t.String() }),
      response: Answer,
      detail: { summary: 'Any other command is NOT_SUPPORTED' },
    });
}
