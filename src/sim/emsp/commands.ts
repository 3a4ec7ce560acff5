/**
 * Commands we send to the CPO (OCPI 2.2.1 commands, eMSP as Sender): START_SESSION for an app user, and
 * STOP_SESSION. The CPO answers at once with a CommandResponse (did it accept and forward the command?) and
 * later POSTs the CommandResult to the response_url we gave — the charge point's actual answer.
 */
import type { CommandResponse, CommandResult, StartSession, StopSession } from '../../model/ocpi/commands.ts';
import type { Token } from '../../model/ocpi/token.ts';
import type { EmspContext } from './context.ts';
import { callCpo, CpoCallError, describeReply } from './cpo-client.ts';
import { endpointUrl, joinUrl } from '../../model/ocpi/endpoints.ts';
import { routingHeaders } from './cpo-link.ts';
import { isObject } from './validate.ts';

export interface StartSessionRequest {
  locationId: string;
  evseUid: string;
  /** One of our tokens, normally an APP_USER one; it is pre-authorized by sending the command. */
  token: Token;
  connectorId?: string;
  /** Goes onto the Session and CDR; generated when absent. */
  authorizationReference?: string;
}

export interface CommandOutcome {
  /** The CPO's synchronous answer. */
  response: CommandResponse;
  /**
   * The CommandResult the CPO posts later; undefined when none came within the response's timeout plus a grace
   * period, or at once when the command was not ACCEPTED (no result follows then).
   */
  result: Promise<CommandResult | undefined>;
}

export function startSession(ctx: EmspContext, request: StartSessionRequest): Promise<CommandOutcome> {
  const authorizationReference = request.authorizationReference ?? ctx.nextId('START');
  return sendCommand(ctx, 'START_SESSION', `${request.token.uid} at ${request.locationId}/${request.evseUid}`, (responseUrl): StartSession => ({
    response_url: responseUrl,
    token: request.token,
    location_id: request.locationId,
    evse_uid: request.evseUid,
    ...(request.connectorId === undefined ? {} : { connector_id: request.connectorId }),
    authorization_reference: authorizationReference,
  }));
}

export function stopSession(ctx: EmspContext, sessionId: string): Promise<CommandOutcome> {
  return sendCommand(ctx, 'STOP_SESSION', `session ${sessionId}`, (responseUrl): StopSession => ({ response_url: responseUrl, session_id: sessionId }));
}

async function sendCommand(
  ctx: EmspContext,
  command: 'START_SESSION' | 'STOP_SESSION',
  what: string,
  body: (responseUrl: string) => StartSession | StopSession,
): Promise<CommandOutcome> {
  const link = ctx.cpo.link;
  if (!link) throw new Error(`${command}: not registered with a CPO`);
  const base = endpointUrl(link.endpoints, 'commands', 'RECEIVER');
  if (!base) throw new Error(`${command}: the CPO publishes no commands Receiver`);
  const commandId = ctx.nextId(command === 'START_SESSION' ? 'start' : 'stop');
  // Waiting starts before the POST: the result may overtake the CPO's answer to it.
  const result = ctx.commands.expect(commandId, command);
  const request = { method: 'POST' as const, url: joinUrl(base, command), token: link.token, body: body(ctx.urls.commandResult(commandId)), headers: routingHeaders(ctx.us, link) };
  try {
    const reply = await callCpo(request);
    const response = commandResponseOf(reply.data);
    if (!response) throw new CpoCallError(describeReply(request, reply), reply);
    if (response.result === 'ACCEPTED') ctx.commands.arm(commandId, response.timeout);
    else ctx.commands.abandon(commandId);
    ctx.emit('command', `${command} ${what}: ${response.result}${reply.statusCode === 1000 ? '' : ` (OCPI ${reply.statusCode})`}`);
    return { response, result };
  } catch (error) {
    ctx.commands.abandon(commandId);
    ctx.emit('error', `${command} ${what}: ${(error as Error).message}`);
    throw error;
  }
}

/**
 * The CommandResponse in the CPO's answer. A refusal may come with an error status and still carry one (e.g.
 * 404 + 2003 with `REJECTED` for an unknown location); `timeout` is then sometimes left out.
 */
function commandResponseOf(data: unknown): CommandResponse | undefined {
  if (!isObject(data) || typeof data.result !== 'string') return undefined;
  return {
    result: data.result as CommandResponse['result'],
    timeout: typeof data.timeout === 'number' ? data.timeout : 0,
    ...(Array.isArray(data.message) ? { message: data.message as NonNullable<CommandResponse['message']> } : {}),
  };
}
