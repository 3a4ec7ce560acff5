import type { Clock } from '../../src/lib/clock.ts';
import { ocpiDateTime } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import Big from 'big.js';
import type { MeterEntry } from '../../src/domain/cdr/meter-history.ts';
import { priceHistory } from '../../src/domain/cdr/session-pricing.ts';
import { buildCdr, renderSession, type SessionPlace } from '../../src/domain/cdr/session-view.ts';
import type { OcpiPricing } from '../../src/domain/tariff/ocpi-pricing.ts';
import type { CDR } from '../../src/model/ocpi/cdr.ts';
import type { AuthMethod, CdrToken, Session } from '../../src/model/ocpi/session.ts';
import type { Token } from '../../src/model/ocpi/token.ts';
import type { TariffType } from '../../src/model/ocpi/tariff.ts';
import type { OcppVersion } from '../../src/model/ocpp-version.ts';
import type { ActorHost } from '../system/actor-host.ts';
import { sameContent } from '../../src/domain/canonical-json.ts';
import type { PartnerFeed } from '../../src/charging-network/partner-feed.ports.ts';
import type { Authorization } from '../../src/domain/authorization.ts';
import type { Owner, PageFilter, SessionStore } from '../../src/storage/ports.ts';
import type { Reading, SessionEvent, SessionInput } from './session.events.ts';
import type { SessionContext, sessionMachine } from './session.machine.ts';
import { SessionMeters } from './session-meters.ts';


export interface SessionView {
  context: SessionContext;
  state: 'reserved' | 'pending' | 'active' | 'completed';
  session?: Session;
  cdr?: CDR;
}

export interface TransactionStart {
  chargePointId: string;
  protocol: OcppVersion;
  transactionId: string;
  ocppEvseId: number;
  startAt: string;
  /** Undefined when the station gave no start register: the first register reading becomes the baseline. */
  meterStartKwh?: string;
  /** How the driver was authorised; only an ALLOWED decision gives the session its token (and owner). */
  authorization?: Authorization;
  /** The OCPP reservation this transaction consumes: it continues that reservation's session. */
  reservationId?: number;
}

const reservationKey = (reservationId: number) => `reservation:${reservationId}`;

/** The session's token, auth method and authorization reference, when the decision allowed charging. */
function allowedPart(authorization: Authorization | undefined): { token?: CdrToken; authMethod: AuthMethod; authorizationReference?: string } {
  if (authorization?.decision !== 'ALLOWED' || !authorization.token) return { authMethod: authorization?.authMethod ?? 'WHITELIST' };
  return {
    token: cdrTokenOf(authorization.token),
    authMethod: authorization.authMethod,
    ...(authorization.authorizationReference ? { authorizationReference: authorization.authorizationReference } : {}),
  };
}

export const cdrTokenOf = (token: Token): CdrToken => ({
  country_code: token.country_code,
  party_id: token.party_id,
  uid: token.uid,
  type: token.type,
  contract_id: token.contract_id,
});

/**
 * The charging sessions: one actor per transaction, created once however often the station retransmits its
 * start. Each accepted event commits the snapshot, the OCPI Session it renders and — when it completes — the
 * one CDR, in one transaction, before the station gets its answer.
 */
export class Sessions {
  private readonly meters: SessionMeters;

  constructor(
    private readonly deps: {
      host: ActorHost<typeof sessionMachine>;
      store: SessionStore;
      placeOf: (chargePointId: string, ocppEvseId: number, at: string, tariffType?: TariffType) => SessionPlace | undefined;
      owner: { countryCode: string; partyId: string };
      feed: Pick<PartnerFeed, 'sessionChanged' | 'cdrCreated'>;
      clock: Clock;
      logger: Logger;
    },
  ) {
    this.meters = new SessionMeters(deps.store.readings);
  }

  /** Finds or creates the session of an OCPP transaction (idempotent); a reserved one continues its reservation's. */
  start(start: TransactionStart): string {
    const { host, store, placeOf, owner } = this.deps;
    const existing = store.idByTransaction(start.chargePointId, start.transactionId);
    if (existing) return existing;
    const reserved = start.reservationId === undefined ? undefined : store.idByTransaction(start.chargePointId, reservationKey(start.reservationId));
    const allowed = allowedPart(start.authorization);
    if (reserved && host.snapshot(reserved)?.value === 'reserved') {
      this.apply(reserved, {
        type: 'TRANSACTION_STARTED',
        transactionId: start.transactionId,
        at: start.startAt,
        meterStartKwh: start.meterStartKwh ?? '0',
        meterStartKnown: start.meterStartKwh !== undefined,
        ...allowed,
      });
      return reserved;
    }
    const id = crypto.randomUUID();
    const place = placeOf(start.chargePointId, start.ocppEvseId, start.startAt, start.authorization?.tariffType);
    const input: SessionInput = {
      id,
      countryCode: owner.countryCode,
      partyId: owner.partyId,
      chargePointId: start.chargePointId,
      protocol: start.protocol,
      transactionId: start.transactionId,
      ocppEvseId: start.ocppEvseId,
      startAt: start.startAt,
      meterStartKwh: start.meterStartKwh ?? '0',
      meterStartKnown: start.meterStartKwh !== undefined,
      ...allowed,
      ...(place ? { place } : {}),
    };
    host.create(id, input);
    return id;
  }

  /**
   * An accepted reservation becomes a Session in status RESERVATION for its eMSP (OCPI 2.2.1 sessions, 7.1),
   * pre-authorized by the command's token.
   */
  reserve(r: { chargePointId: string; protocol: OcppVersion; ocppEvseId: number; reservationId: number; token: Token; authorizationReference?: string; at: string }) {
    const { host, store, placeOf, owner } = this.deps;
    if (store.idByTransaction(r.chargePointId, reservationKey(r.reservationId))) return;
    const id = crypto.randomUUID();
    const place = placeOf(r.chargePointId, r.ocppEvseId, r.at);
    host.create(
      id,
      {
        id,
        countryCode: owner.countryCode,
        partyId: owner.partyId,
        chargePointId: r.chargePointId,
        protocol: r.protocol,
        transactionId: reservationKey(r.reservationId),
        ocppEvseId: r.ocppEvseId,
        startAt: r.at,
        meterStartKwh: '0',
        meterStartKnown: false,
        token: cdrTokenOf(r.token),
        authMethod: 'COMMAND',
        ...(r.authorizationReference ? { authorizationReference: r.authorizationReference } : {}),
        ...(place ? { place } : {}),
        reservationOnly: true,
      },
    );
  }

  /** A reservation cancelled or expired before its driver started: its session completes, with no CDR. */
  endReservation(chargePointId: string, reservationId: number, reason: string) {
    const id = this.deps.store.idByTransaction(chargePointId, reservationKey(reservationId));
    if (id && this.deps.host.snapshot(id)?.value === 'reserved') this.apply(id, { type: 'RESERVATION_ENDED', at: this.now(), reason });
  }

  byTransaction(chargePointId: string, transactionId: string): string | undefined {
    return this.deps.store.idByTransaction(chargePointId, transactionId);
  }

  runningOn(chargePointId: string, ocppEvseId: number): string | undefined {
    return this.deps.store.runningOn(chargePointId, ocppEvseId);
  }

  /** Our 1.6 transaction id for a start; the same again for a retransmitted start. */
  ocpp16TransactionId(start: Parameters<SessionStore['ocpp16TransactionId']>[0]): number {
    return this.deps.store.ocpp16TransactionId(start);
  }

  seenTransactionEvent(chargePointId: string, transactionId: string, seqNo: number): boolean {
    return this.deps.store.seenTransactionEvent(chargePointId, transactionId, seqNo);
  }

  markTransactionEvent(chargePointId: string, transactionId: string, seqNo: number) {
    this.deps.store.markTransactionEvent(chargePointId, transactionId, seqNo);
  }

  /** A pending session (2.0.1: plugged in before the driver identified) gets its token once allowed. */
  authorize(id: string, authorization: Authorization) {
    const allowed = allowedPart(authorization);
    if (this.deps.host.snapshot(id)?.value === 'pending' && allowed.token)
      this.apply(id, { type: 'AUTHORIZED', at: this.now(), token: allowed.token, authMethod: allowed.authMethod, ...(allowed.authorizationReference ? { authorizationReference: allowed.authorizationReference } : {}) });
  }

  /** Whether energy has flowed in the session yet (2.0.1 EVConnected means parking only after charging). */
  hasCharged(id: string): boolean {
    const context = this.deps.host.snapshot(id)?.context;
    return context !== undefined && new Big(context.registerKwh).gt(context.meterStartKwh);
  }

  meter(id: string, readings: Reading[]) {
    if (readings.length > 0) this.apply(id, { type: 'METER', readings });
  }

  chargingState(id: string, at: string, charging: boolean) {
    this.apply(id, { type: 'CHARGING_STATE', at, charging });
  }

  stop(id: string, at: string, meterStopKwh: string | undefined, reason: string | undefined) {
    this.apply(id, { type: 'STOPPED', at, ...(meterStopKwh !== undefined ? { meterStopKwh } : {}), ...(reason ? { reason } : {}) });
  }

  /** Sessions a partner may see (its own tokens), or all for the operator; oldest first. */
  page(filter: PageFilter, owners: Owner[] | 'all') {
    return this.deps.store.page(filter, owners);
  }

  cdrsPage(filter: PageFilter, owners: Owner[] | 'all') {
    return this.deps.store.cdrsPage(filter, owners);
  }

  /** Newest first, for the operator. */
  list(limit: number, offset: number): SessionView[] {
    return this.deps.store.list(limit, offset).flatMap((id) => this.view(id) ?? []);
  }

  view(id: string): SessionView | undefined {
    const snapshot = this.deps.host.snapshot(id);
    if (!snapshot) return undefined;
    const state = snapshot.value as SessionView['state'];
    // The Session as rendered at its last event (what partners were sent), not priced again on every read.
    const session = this.deps.store.viewOf(id);
    const cdr = state === 'completed' ? this.deps.store.cdrOf(id) : undefined;
    return { context: snapshot.context, state, ...(session ? { session } : {}), ...(cdr ? { cdr } : {}) };
  }

  /** Events a finished session can no longer take (a late retransmission) are answered and dropped. */
  private apply(id: string, event: SessionEvent) {
    const snapshot = this.deps.host.snapshot(id);
    if (!snapshot || snapshot.status === 'done') {
      this.deps.logger.info('Event for a finished or unknown session ignored', { id, event: event.type });
      return;
    }
    this.deps.host.send(id, event);
  }

  /** The session machine's `record` action, run inside the actor's commit: the event's meter entries are stored. */
  record(before: SessionContext, entries: MeterEntry[]) {
    this.meters.record(before, entries);
  }

  /**
   * The session machine's `publish` action, run inside the actor's commit: the rendered Session, the CDR once
   * complete, and their pushes to the eMSP. A running Session is priced by its meter; a completed one from its
   * whole history, once, for both the final Session and the CDR.
   */
  publish(context: SessionContext, status: Session['status']) {
    const { store, feed } = this.deps;
    const now = this.now();
    let final: OcpiPricing | undefined;
    const priced =
      status === 'COMPLETED'
        ? (place: SessionPlace) => (final ??= this.finalPricing(context, place))
        : (place: SessionPlace) => this.meters.of(context, place).pricing(now);
    const previous = store.viewOf(context.id);
    const next = renderSession(context, status, priced);
    store.saveView(context.id, next);
    // Any change is news for the eMSP — also one within the same second as the last (same last_updated).
    if (next && !sameContent(next, previous)) feed.sessionChanged(previous, next);
    if (status === 'COMPLETED') {
      const cdr = buildCdr(context, context.id, now, priced);
      if (cdr && store.insertCdr(cdr)) feed.cdrCreated(cdr);
    }
  }

  private finalPricing(context: SessionContext, place: SessionPlace): OcpiPricing {
    const { start, entries } = this.meters.finish(context);
    return priceHistory(place, start, entries, { at: context.endAt!, finalKwh: context.finalKwh! });
  }

  private now() {
    return ocpiDateTime(this.deps.clock.now());
  }
}
