import { convertProfile, limitWattsAt } from '../../src/domain/charging-rate.ts';
import {
  clearChargingProfileCall,
  compositeScheduleCall,
  compositeScheduleOf,
  profileResultOf,
  rateUnitsCall,
  rateUnitsOf,
  setChargingProfileCall,
  type OcppCall,
} from '../../src/domain/ocpp-charging-profiles.ts';
import type { Party } from '../../src/domain/parties.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { ActiveChargingProfile, ChargingProfile, ChargingProfileResponse, ChargingRateUnit, SetChargingProfile } from '../../src/model/ocpi/charging-profiles.ts';
import type { ChargingProfileStore, CommandRecord } from '../../src/storage/ports.ts';
import type { CommandActors, Settlement } from '../commands/command-actors.ts';
import type { AuthenticatedPartner } from '../partner/partners.ts';
import { findSession, sessionTarget, type ProfileTarget, type SessionLookup } from './profile-targets.ts';

export interface ChargingProfileDeps extends SessionLookup {
  store: ChargingProfileStore;
  /** Commands still waiting for their result. */
  openCommands(): CommandRecord[];
  station: { call(chargePointId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown> };
  /** Queues an ActiveChargingProfile PUT to the eMSP, for the party `to` behind it (durable outbox); inside a transaction. */
  tell(partnerId: string, sessionId: string, active: ActiveChargingProfile, to: Party): void;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  logger: Logger;
  timeoutSeconds: number;
}

/** The command rows of charging-profile requests (the command actors carry them out like OCPI commands). */
const PROFILE_REQUESTS = { set: 'SET_CHARGING_PROFILE', get: 'GET_ACTIVE_CHARGING_PROFILE', clear: 'CLEAR_CHARGING_PROFILE' } as const;

/** How far ahead the schedules we send unasked reach (OCPI 2.2.1 4.7: "between 5 and 60 minutes"). */
const UPDATE_HORIZON_S = 3600;

type Body = { session_id: string };

/**
 * Smart charging by the eMSP (OCPI 2.2.1 ChargingProfiles, we are Receiver) carried out over OCPP: a PUT sets the
 * eMSP's profile as the TxProfile of the session's transaction, a GET reads the composite schedule, a DELETE
 * clears the profile. Each accepted request is a command (row + actor, shared with the OCPI commands): answered
 * at once, its result POSTed to the response_url exactly once — REJECTED when the station is offline or silent.
 * Limits go to the station in the unit it takes and come back in the eMSP's (charging-rate.ts). Once the eMSP
 * has set a profile successfully, every schedule change we learn of is PUT to it as an ActiveChargingProfile.
 */
export class ChargingProfiles {
  constructor(
    private readonly deps: ChargingProfileDeps,
    private readonly actors: CommandActors,
  ) {
    // No usable answer from the station: the request was not carried out. OCPI has no TIMEOUT here: REJECTED.
    actors.register(Object.values(PROFILE_REQUESTS), { failures: { timeout: 'REJECTED', failed: 'REJECTED' }, settled: (command, settlement) => this.settled(command, settlement) });
  }

  set(partner: AuthenticatedPartner, sessionId: string, body: SetChargingProfile): ChargingProfileResponse {
    const target = this.check(partner, sessionId);
    if ('refusal' in target) return target.refusal;
    // A profile without periods limits nothing an OCPP station could be given.
    if (!body.charging_profile.charging_profile_period?.length) return { result: 'REJECTED', timeout: 0 };
    const { ocppProfileId } = this.deps.store.open(sessionId, partner.partnerId);
    return this.accept(partner, PROFILE_REQUESTS.set, { session_id: sessionId, ...body }, target, async (call) => {
      const profile = await this.inStationUnit(target, body.charging_profile, call);
      const request = setChargingProfileCall(target.protocol, { ocppEvseId: target.ocppEvseId, transactionId: target.transactionId, profileId: ocppProfileId }, profile);
      return profileResultOf('set', await call(request));
    });
  }

  /** GET: the composite schedule for the next `durationS` seconds, in the unit of the eMSP's profile. */
  active(partner: AuthenticatedPartner, sessionId: string, durationS: number, responseUrl: string): ChargingProfileResponse {
    const target = this.check(partner, sessionId);
    if ('refusal' in target) return target.refusal;
    const unit = this.deps.store.get(sessionId)?.unit ?? undefined;
    return this.accept(partner, PROFILE_REQUESTS.get, { session_id: sessionId, duration: durationS, response_url: responseUrl }, target, async (call) => {
      const profile = await this.composite(target, durationS, unit, call);
      return profile ? { result: 'ACCEPTED', extra: { profile } } : 'REJECTED';
    });
  }

  clear(partner: AuthenticatedPartner, sessionId: string, responseUrl: string): ChargingProfileResponse {
    const target = this.check(partner, sessionId);
    if ('refusal' in target) return target.refusal;
    const { ocppProfileId } = this.deps.store.open(sessionId, partner.partnerId);
    return this.accept(partner, PROFILE_REQUESTS.clear, { session_id: sessionId, response_url: responseUrl }, target, async (call) =>
      profileResultOf('clear', await call(clearChargingProfileCall(target.protocol, ocppProfileId))),
    );
  }

  /** The station says its limits changed (2.0.1 NotifyChargingLimit, ClearedChargingLimit, ReportChargingProfiles). */
  scheduleChanged(chargePointId: string, ocppEvseId: number | undefined) {
    for (const sessionId of this.deps.runningAt(chargePointId, ocppEvseId)) this.refresh(sessionId);
  }

  /** The limit the eMSP's profile puts on a session now, in watts (what the dev page shows). */
  limitWatts(sessionId: string): number | undefined {
    const record = this.deps.store.get(sessionId);
    const view = this.deps.session(sessionId);
    if (!record?.profile || !view) return undefined;
    const supply = sessionTarget(this.deps, record.partnerId, sessionId)?.supply;
    // Until the station's schedule is read back, the eMSP's own profile (a relative one from the session's start).
    const active = record.active ?? { start_date_time: record.profile.start_date_time ?? view.context.startAt, charging_profile: record.profile };
    return limitWattsAt(active, this.deps.clock.now().getTime(), supply);
  }

  /**
   * The session's target for this partner's request, or the refusal: one request per session at a time — the
   * next one while the station has not answered the last is TOO_OFTEN (the station takes one call at a time).
   */
  private check(partner: AuthenticatedPartner, sessionId: string): ProfileTarget | { refusal: ChargingProfileResponse } {
    const target = findSession(this.deps, partner, sessionId);
    if ('refusal' in target) return target;
    const requests: string[] = Object.values(PROFILE_REQUESTS);
    const busy = this.deps.openCommands().some((c) => requests.includes(c.type) && (c.body as Body).session_id === sessionId);
    return busy ? { refusal: { result: 'TOO_OFTEN', timeout: 0 } } : target;
  }

  private accept(partner: AuthenticatedPartner, type: string, body: Body & { response_url: string; [field: string]: unknown }, target: ProfileTarget, work: (call: (request: OcppCall) => Promise<unknown>) => Promise<string | Settlement>): ChargingProfileResponse {
    const reception = this.actors.accept(partner, type, body, target, null, (command) => work((request) => this.actors.call(command, request.action, request.payload)), target.owner);
    return { result: 'ACCEPTED', timeout: reception.response.timeout };
  }

  /** Inside the transaction that settles a request: what the station accepted, and a schedule update after it. */
  private settled(command: CommandRecord, settlement: Settlement) {
    if (settlement.result !== 'ACCEPTED') return;
    const body = command.body as Body & Partial<SetChargingProfile>;
    if (command.type === PROFILE_REQUESTS.get) return this.deps.store.reported(body.session_id, settlement.extra!.profile as ActiveChargingProfile);
    if (command.type === PROFILE_REQUESTS.set) this.deps.store.accepted(body.session_id, body.charging_profile!, this.deps.clock.now().getTime());
    else this.deps.store.cleared(body.session_id);
    // The station's schedule changed: once this transaction has committed, read it and tell the eMSP.
    queueMicrotask(() => this.refresh(body.session_id));
  }

  /**
   * Tells the eMSP the session's schedule as the station computes it now — only an eMSP that once set a profile
   * successfully, and never another (OCPI 2.2.1 4.7). Best effort: a station that does not answer is logged.
   */
  private refresh(sessionId: string) {
    const record = this.deps.store.get(sessionId);
    if (!record?.acceptedAtMs) return;
    const target = sessionTarget(this.deps, record.partnerId, sessionId);
    if (!target) return;
    const call = (request: OcppCall) => this.deps.station.call(target.chargePointId, request.action, request.payload, this.deps.timeoutSeconds * 1000);
    this.composite(target, UPDATE_HORIZON_S, record.unit ?? undefined, call).then(
      (active) => {
        if (active)
          this.deps.transact(() => {
            this.deps.store.reported(sessionId, active);
            this.deps.tell(record.partnerId, sessionId, active, target.owner);
          });
      },
      (error: Error) => this.deps.logger.warn('Schedule of a smart-charged session not read', { sessionId, chargePointId: target.chargePointId, error: error.message }),
    );
  }

  /** The station's composite schedule, converted to `unit` when the connector's supply allows it. */
  private async composite(target: ProfileTarget, durationS: number, unit: ChargingRateUnit | undefined, call: (request: OcppCall) => Promise<unknown>) {
    const schedule = compositeScheduleOf(target.protocol, await call(compositeScheduleCall(target.protocol, target.ocppEvseId, durationS)), this.deps.clock.now());
    if (!schedule || !unit || !target.supply) return schedule?.active;
    return { ...schedule.active, charging_profile: convertProfile(schedule.active.charging_profile, unit, target.supply, (i) => schedule.periodPhases[i]) };
  }

  /**
   * The profile in a unit the station takes: unchanged when it takes the eMSP's unit or does not say (an unknown
   * configuration key or variable, or no supply to convert with), else converted to the first unit it names.
   */
  private async inStationUnit(target: ProfileTarget, profile: ChargingProfile, call: (request: OcppCall) => Promise<unknown>): Promise<ChargingProfile> {
    const units = await call(rateUnitsCall(target.protocol)).then(
      (answer) => rateUnitsOf(target.protocol, answer),
      (error: { reason?: string }) => {
        // An offline or silent station fails the request; one that does not know the question just has no answer.
        if (error.reason === 'call-error' || error.reason === 'invalid-response') return undefined;
        throw error;
      },
    );
    if (!units || units.includes(profile.charging_rate_unit) || !target.supply) return profile;
    return convertProfile(profile, units[0]!, target.supply);
  }
}
