import { Type } from '@sinclair/typebox';
/**
 * OCPI 2.2.1 Commands module objects (digest 5.6; flow in 4.6). Our CPO is the Receiver: the eMSP POSTs
 * `{commands}/{CommandType}` with one of the request bodies below, we answer synchronously with a
 * CommandResponse and later POST a CommandResult to the request's `response_url`.
 */
import { t } from 'elysia';
import type { Static } from '@sinclair/typebox';
import { Token } from './token.ts';
import { CiString, DateTime, DisplayText, StringEnum, Url } from './types.ts';
import * as S from './spec-examples.ts';

/** The `{command}` URL segment. */
export const CommandType = StringEnum('CommandType', [
  'CANCEL_RESERVATION',
  'RESERVE_NOW',
  'START_SESSION',
  'STOP_SESSION',
  'UNLOCK_CONNECTOR',
]);
export type CommandType = Static<typeof CommandType>;

/** Synchronous answer: ACCEPTED only means "understood and forwarded to the charge point" (pitfall 35). */
export const CommandResponseType = StringEnum('CommandResponseType', [
  'NOT_SUPPORTED',
  'REJECTED',
  'ACCEPTED',
  'UNKNOWN_SESSION',
]);
export type CommandResponseType = Static<typeof CommandResponseType>;

/** Asynchronous outcome; CANCELED_RESERVATION is sent by the CPO to a RESERVE_NOW `response_url`. */
export const CommandResultType = StringEnum('CommandResultType', [
  'ACCEPTED',
  'CANCELED_RESERVATION',
  'EVSE_OCCUPIED',
  'EVSE_INOPERATIVE',
  'FAILED',
  'NOT_SUPPORTED',
  'REJECTED',
  'TIMEOUT',
  'UNKNOWN_RESERVATION',
]);
export type CommandResultType = Static<typeof CommandResultType>;

/** `data` of our synchronous answer to a command POST. */
export const CommandResponse = t.Object(
  {
    result: CommandResponseType,
    /** Seconds the eMSP should wait for the CommandResult; always sent. */
    timeout: Type.Integer(),
    message: t.Optional(t.Array(DisplayText)),
  },
  { title: 'CommandResponse', examples: [{ result: 'ACCEPTED', timeout: 30 }] },
);
export type CommandResponse = Static<typeof CommandResponse>;

/** Body we POST to the command's `response_url`. */
export const CommandResult = t.Object(
  {
    result: CommandResultType,
    message: t.Optional(t.Array(DisplayText)),
  },
  { title: 'CommandResult', examples: [{ result: 'ACCEPTED' }] },
);
export type CommandResult = Static<typeof CommandResult>;

/**
 * The token is pre-authorized by the eMSP: do not re-authorize it (pitfall 34), and copy it into the
 * Session/CDR `cdr_token`. `evse_uid` is required when `connector_id` is set (not expressed by the schema).
 */
export const StartSession = t.Object(
  {
    response_url: Url,
    token: Token,
    location_id: CiString(36),
    evse_uid: t.Optional(CiString(36)),
    /** Required when the EVSE has START_SESSION_CONNECTOR_REQUIRED. */
    connector_id: t.Optional(CiString(36)),
    /** To be copied into the Session and CDR. */
    authorization_reference: t.Optional(CiString(36)),
  },
  { title: 'StartSession', examples: [{ response_url: 'https://www.server.com/ocpi/emsp/2.2.1/commands/START_SESSION/1287', token: S.tokenExample2FullRfid, location_id: S.locationExample.id, evse_uid: S.locationExample.evses[0]!.uid, connector_id: S.locationExample.evses[0]!.connectors[0]!.id, authorization_reference: 'AUTH-4271' }] },
);
export type StartSession = Static<typeof StartSession>;

export const StopSession = t.Object(
  {
    response_url: Url,
    session_id: CiString(36),
  },
  { title: 'StopSession', examples: [{ response_url: 'https://www.server.com/ocpi/emsp/2.2.1/commands/STOP_SESSION/1288', session_id: S.sessionExample1SimpleStart.id }] },
);
export type StopSession = Static<typeof StopSession>;

/**
 * `reservation_id` is the eMSP's: map it to a CPO-unique OCPP reservationId (pitfall 36); the same id at the
 * same location replaces the reservation. `response_url` also receives a later CANCELED_RESERVATION.
 */
export const ReserveNow = t.Object(
  {
    response_url: Url,
    token: Token,
    /** Reservation end, UTC. */
    expiry_date: DateTime,
    reservation_id: CiString(36),
    location_id: CiString(36),
    evse_uid: t.Optional(CiString(36)),
    authorization_reference: t.Optional(CiString(36)),
  },
  { title: 'ReserveNow', examples: [{ response_url: 'https://www.server.com/ocpi/emsp/2.2.1/commands/RESERVE_NOW/1289', token: S.tokenExample2FullRfid, expiry_date: '2015-06-29T22:00:00Z', reservation_id: 'RES-0001', location_id: S.locationExample.id, evse_uid: S.locationExample.evses[0]!.uid }] },
);
export type ReserveNow = Static<typeof ReserveNow>;

export const CancelReservation = t.Object(
  {
    response_url: Url,
    reservation_id: CiString(36),
  },
  { title: 'CancelReservation', examples: [{ response_url: 'https://www.server.com/ocpi/emsp/2.2.1/commands/CANCEL_RESERVATION/1290', reservation_id: 'RES-0001' }] },
);
export type CancelReservation = Static<typeof CancelReservation>;

/** Help-desk use only, never driver-triggered (pitfall 37). */
export const UnlockConnector = t.Object(
  {
    response_url: Url,
    location_id: CiString(36),
    evse_uid: CiString(36),
    connector_id: CiString(36),
  },
  { title: 'UnlockConnector', examples: [{ response_url: 'https://www.server.com/ocpi/emsp/2.2.1/commands/UNLOCK_CONNECTOR/1291', location_id: S.locationExample.id, evse_uid: S.locationExample.evses[0]!.uid, connector_id: S.locationExample.evses[0]!.connectors[0]!.id }] },
);
export type UnlockConnector = Static<typeof UnlockConnector>;

/** Request body schema per `{command}` URL segment. */
export const CommandBodies = {
  CANCEL_RESERVATION: CancelReservation,
  RESERVE_NOW: ReserveNow,
  START_SESSION: StartSession,
  STOP_SESSION: StopSession,
  UNLOCK_CONNECTOR: UnlockConnector,
} as const satisfies Record<CommandType, unknown>;
