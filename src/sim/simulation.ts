import { createCsmsClient, expectOk, type CsmsClient } from './csms-client.ts';
import { createRandom, type Random } from './random.ts';
import { createSimClock, type SimClock } from './sim-clock.ts';
import { buildSimNetwork, type SimStationPlan } from './sim-network.ts';
import { startSimEmsp } from './emsp/sim-emsp.ts';
import { createSimStation } from './stations/sim-station.ts';

export interface SimulationOptions {
  /** Base URL of the CSMS (http://host:port); OCPP goes to ws(s)://host:port/ocpp. */
  csmsUrl: string;
  apiKey: string;
  stations: number;
  /** Mean number of driver arrivals per simulated hour, over the whole network. */
  arrivalsPerHour: number;
  /** Simulated seconds between a charging station's MeterValues. */
  meterIntervalS: number;
  /** Simulated seconds per real second. */
  factor: number;
  seed: number;
  /** Run the simulated eMSP (it must be reachable from the CSMS: loopback only). */
  emsp: boolean;
  /** Prefix of everything the simulation creates, so runs against a shared deployment do not collide. */
  prefix?: string;
  onEvent?: (event: SimEvent) => void;
}

export interface SimEvent {
  kind: string;
  message: string;
}

export type SimStation = ReturnType<typeof createSimStation>;

const SIM_EMSP_NAME = 'Simulated eMSP';
/** How long (real ms) the end of a run waits for the stations' last stops and for the eMSP to get its pushes. */
const WIND_DOWN_MS = 15_000;
export type SimEmsp = Awaited<ReturnType<typeof startSimEmsp>>;

/**
 * A small charging network on loopback, driven only through public interfaces: stations are OCPP clients,
 * the eMSP is an OCPI server and client, guests and the operator use the REST API. Drivers arrive at random
 * (RFID card, eMSP app, card payment); now and then the eMSP limits a running session by charging profile, and a
 * station faults or drops off the network.
 */
export async function startSimulation(options: SimulationOptions) {
  const random = createRandom(options.seed);
  const clock = createSimClock(options.factor);
  const csms = createCsmsClient(options.csmsUrl, options.apiKey);
  const emit = (kind: string, message: string) => options.onEvent?.({ kind, message });
  // The eMSP registers first: its handshake tells who the CPO is, whose country and party EVSE ids carry.
  const { emsp, partnerId, operator, emspToken } = options.emsp ? await startEmsp(csms, random, emit) : { emsp: undefined, partnerId: undefined, operator: undefined, emspToken: undefined };
  const plans = await buildSimNetwork(csms, options.stations, random, options.prefix ?? 'SIM', operator);
  emit('network', `${plans.length} stations on ${new Set(plans.map((p) => p.locationId)).size} locations registered`);

  const ocppUrl = `${csms.baseUrl.replace(/^http/, 'ws')}/ocpp`;
  const stations = plans.map((plan) =>
    createSimStation({
      ocppUrl,
      id: plan.id,
      password: plan.password,
      protocol: plan.protocol,
      connectors: plan.connectors,
      maxPowerKw: plan.maxPowerKw,
      meterIntervalS: options.meterIntervalS,
      clock,
      random: createRandom(random.int(1, 2 ** 31)),
      onEvent: (e) => emit(e.kind, `${e.station}: ${e.message}`),
    }),
  );
  await Promise.all(stations.map((s) => s.connect()));
  emit('stations', `${stations.length} stations connected`);

  let running = true;
  /** Session tokens of the guests, so a report can check what each was charged. */
  const guestTokens: string[] = [];
  const drivers = driveArrivals({ plans, stations, emsp, csms, clock, random, options, emit, running: () => running, guestTokens });
  return {
    csms,
    emsp,
    stations,
    plans,
    clock,
    guestTokens,
    /** The token C the CSMS gave the simulated eMSP: `bun dev` prints it so a developer can call OCPI as that eMSP. */
    emspToken,
    /**
     * Ends the run and leaves the CSMS as a departing network would: the stations end their running
     * transactions (StopTransaction / TransactionEvent Ended) and disconnect, the eMSP takes the last CDRs and
     * unregisters (credentials DELETE) — no ACTIVE sessions on stations that are gone, no partner at a dead port.
     * Bounded by WIND_DOWN_MS: a CSMS that no longer answers does not keep the process alive.
     */
    async stop() {
      running = false;
      await drivers.catch(() => undefined);
      const deadline = Date.now() + WIND_DOWN_MS;
      await Promise.race([Promise.all(stations.map((s) => s.finish())), Bun.sleep(WIND_DOWN_MS)]);
      await Promise.all(stations.map((s) => s.stop()));
      if (emsp && partnerId) {
        await deliveriesDrained(csms, partnerId, deadline);
        await emsp.unregister().catch((error: Error) => emit('error', `the eMSP could not unregister: ${error.message}`));
      }
      await emsp?.stop();
    },
  };
}

export type Simulation = Awaited<ReturnType<typeof startSimulation>>;

async function startEmsp(csms: CsmsClient, random: Random, emit: (kind: string, message: string) => void) {
  // An earlier run's simulated eMSP is gone (its port with it): unregister it, or pushes to it would pile up.
  const partners = ((await csms.call('GET', '/api/v1/ocpi/partners')).body ?? []) as { id: string; name?: string; status: string }[];
  for (const old of partners.filter((p) => p.name === SIM_EMSP_NAME && p.status !== 'unregistered')) await csms.call('DELETE', `/api/v1/ocpi/partners/${old.id}`);
  const emsp = await startSimEmsp({ countryCode: 'NL', partyId: 'SIM', name: SIM_EMSP_NAME, tokens: 20, random, onEvent: (e) => emit(`emsp ${e.kind}`, e.message) });
  const invitation = (await expectOk(csms.call('POST', '/api/v1/ocpi/invitations', { name: SIM_EMSP_NAME }), 'invitation')) as { partner_id: string; token: string; versions_url: string };
  const { cpoRoles, cpoToken } = await emsp.registerWith(invitation.versions_url, invitation.token);
  emit('emsp', 'registered with the CSMS through the credentials handshake');
  const cpo = cpoRoles.find((r) => r.role === 'CPO');
  return { emsp, partnerId: invitation.partner_id, operator: cpo && { countryCode: cpo.country_code, partyId: cpo.party_id }, emspToken: cpoToken };
}

/** Waits (until `deadline`, real time) for the CSMS to have delivered everything queued for the partner. */
async function deliveriesDrained(csms: CsmsClient, partnerId: string, deadline: number) {
  while (Date.now() < deadline) {
    const open = await csms.call('GET', `/api/v1/ocpi/partners/${partnerId}/deliveries?state=pending,failed`).catch(() => undefined);
    if (!open || (Array.isArray(open.body) && open.body.length === 0)) return;
    await Bun.sleep(200);
  }
}

/**
 * Poisson arrivals: each picks a free connector of a connected station and a way to pay. The first arrival comes
 * at once with a short session, so a fresh `bun dev` shows a completed session and its CDR within seconds.
 */
async function driveArrivals(ctx: {
  plans: SimStationPlan[];
  stations: SimStation[];
  emsp: SimEmsp | undefined;
  csms: CsmsClient;
  clock: SimClock;
  random: Random;
  options: SimulationOptions;
  emit: (kind: string, message: string) => void;
  running: () => boolean;
  guestTokens: string[];
}) {
  const { plans, stations, emsp, csms, clock, random, options, emit } = ctx;
  let first = true;
  /** Sessions the eMSP has limited once (one profile per session is enough to watch). */
  const limited = new Set<string>();
  while (ctx.running()) {
    const free = stations.flatMap((station, i) => {
      const state = station.state();
      if (!state.connected) return [];
      return state.connectors.filter((c) => c.status === 'Available').map((c) => ({ station, plan: plans[i]!, connectorId: c.id }));
    });
    // The first driver takes a fast (DC) charger if there is one, so the first CDR comes quickly.
    const fast = first ? free.filter((f) => f.plan.maxPowerKw > 22) : [];
    const spot = fast.length > 0 ? random.pick(fast) : free.length > 0 ? random.pick(free) : undefined;
    if (spot) {
      const kind = first ? 'rfid' : random.pick(['rfid', 'rfid', 'app', 'guest', 'guest'] as const);
      const energyKwh = first ? random.int(3, 5) : random.int(5, 35);
      first = false;
      void arrive(kind === 'app' && !emsp ? 'rfid' : kind, spot, energyKwh).catch((error: Error) => emit('error', `${spot.plan.id}: ${error.message}`));
    }
    // Now and then a station breaks down or drops off the network, and comes back later.
    if (random.chance(0.05)) void incident(random.pick(stations)).catch(() => undefined);
    // Now and then the eMSP limits one of its drivers' running sessions (smart charging).
    if (emsp && random.chance(0.15)) void smartCharge(emsp).catch((error: Error) => emit('error', `smart charging: ${error.message}`));
    await clock.sleep(random.exponential(3_600_000 / options.arrivalsPerHour));
  }

  async function arrive(kind: 'rfid' | 'app' | 'guest', spot: { station: SimStation; plan: SimStationPlan; connectorId: number }, energyKwh: number) {
    const { station, plan, connectorId } = spot;
    const evseUid = plan.evseUids[connectorId - 1]!;
    if (kind === 'rfid') {
      // Mostly valid cards; now and then a blocked one, which the station refuses.
      const cards = emsp?.rfidTokens().filter((t) => t.valid || random.chance(0.1)) ?? [];
      const card = cards.length > 0 ? random.pick(cards) : undefined;
      emit('driver', `${plan.id}/${connectorId}: RFID ${card?.uid ?? 'unknown card'}, ${energyKwh} kWh`);
      await station.arriveWithRfid(connectorId, card?.uid ?? `CARD${random.int(1000, 9999)}`, energyKwh);
    } else if (kind === 'app') {
      const token = random.pick(emsp!.appTokens());
      emit('driver', `${plan.id}/${connectorId}: app start via the eMSP (${token.uid})`);
      await station.plugIn(connectorId);
      const { result } = await emsp!.startSession({ locationId: plan.locationId, evseUid, token });
      const outcome = await result;
      if (outcome?.result !== 'ACCEPTED') emit('command', `START_SESSION at ${evseUid}: ${outcome?.result ?? 'no result'}`);
    } else {
      const card = random.chance(0.1) ? 'pm_card_chargeDeclined' : random.pick(['pm_card_visa', 'pm_card_mastercard']);
      emit('driver', `${plan.id}/${connectorId}: guest paying by card (${card})`);
      await station.plugIn(connectorId);
      const authorized = await csms.call('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: plan.id, connector_id: connectorId, payment_method_id: card });
      if (authorized.status === 201) ctx.guestTokens.push(authorized.body.session_token);
      else {
        emit('guest', `${plan.id}/${connectorId}: refused (${authorized.status} ${authorized.body?.reason ?? ''}); the driver leaves`);
        await station.unplug(connectorId);
      }
    }
  }

  /** A running session of the eMSP's not limited yet gets a profile: 7.4 kW or 16 A on AC, 50 kW on DC. */
  async function smartCharge(emsp: SimEmsp) {
    const candidates = emsp.view().sessions.filter((s) => s.status === 'ACTIVE' && !limited.has(s.id));
    if (candidates.length === 0) return;
    const session = random.pick(candidates);
    limited.add(session.id);
    const dc = (plans.find((p) => p.evseUids.includes(session.evse_uid))?.maxPowerKw ?? 0) > 22;
    const [unit, limit] = dc ? (['W', 50_000] as const) : random.pick([['W', 7400], ['A', 16]] as const);
    emit('smart-charging', `the eMSP limits session ${session.id} at ${session.evse_uid} to ${limit} ${unit}`);
    await emsp.setChargingProfile(session.id, { charging_rate_unit: unit, charging_profile_period: [{ start_period: 0, limit }] });
  }

  async function incident(station: SimStation) {
    const state = station.state();
    if (!state.connected) return;
    if (random.chance(0.5)) {
      const connector = random.pick(state.connectors);
      emit('incident', `${state.id}/${connector.id} faulted`);
      await station.fault(connector.id);
      await clock.sleep(random.int(5, 20) * 60_000);
      await station.recover(connector.id);
      emit('incident', `${state.id}/${connector.id} repaired`);
    } else {
      emit('incident', `${state.id} went offline`);
      await station.goOffline();
      await clock.sleep(random.int(5, 30) * 60_000);
      await station.comeBack();
      emit('incident', `${state.id} is back online`);
    }
  }
}
