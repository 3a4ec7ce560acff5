/** OCPI commands and charging-profile requests: station calls with a deadline and one result each, on shared command actors. */
import type { Reader } from '../../../src/domain/parties.ts';
import { ChargingProfiles } from '../../charging-profiles/charging-profiles.ts';
import { CommandActors } from '../../commands/command-actors.ts';
import { Commands } from '../../commands/commands.ts';
import type { EndedReservation, ReservedSession } from '../../commands/reservations.ts';
import type { ChargingNetworkPort, OnStationOwner } from '../actor-system.ports.ts';
import { whenCommitted } from '../group-commit.ts';
import type { KindWiring } from './wiring.ts';

export function commandKind<N extends ChargingNetworkPort>({ ports, commits, deadlines, system }: KindWiring<N>) {
  const { storage, clock, logger, settings, stations } = ports;
  const onOwner: OnStationOwner = ports.onStationOwner ?? ((_, write) => write);
  const station = {
    protocolOf: (cp: string) => system.chargePoints.view(cp)?.protocol,
    call: (cp: string, action: string, payload: unknown, timeoutMs: number) => stations.call(cp, action, payload, timeoutMs),
  };
  const commandActors = new CommandActors({
    store: storage.commands,
    station,
    deliverResult: (partnerId, commandId, responseUrl, body, to) => system.feed.commandResult(partnerId, commandId, responseUrl, body, to),
    transact: storage.transact,
    clock,
    logger,
    timeoutSeconds: settings.commandTimeoutSeconds,
  });
  const location = (reader: Reader, locationId: string) => system.network.location(reader, locationId);
  const commands = new Commands(
    {
      store: storage.commands,
      location,
      binding: (locationId, evseUid) => system.network.bindingOf(locationId, evseUid),
      session: (id) => system.sessions.view(id),
      runningOn: (cp, evse) => system.sessions.runningOn(cp, evse),
      station,
      // Several nodes: a reservation's session is the station's, whichever node took the command or its expiry.
      reservationSessions: {
        reserved: onOwner('reservation-reserved', (r: ReservedSession) => whenCommitted(commits, () => system.sessions.reserve(r))),
        ended: onOwner('reservation-ended', (r: EndedReservation) => whenCommitted(commits, () => system.sessions.endReservation(r.chargePointId, r.reservationId, r.reason))),
      },
      adoptToken: (partnerId, token) => storage.tokens.adopt(partnerId, token),
      clock,
      logger,
      timeoutSeconds: settings.commandTimeoutSeconds,
      deadlines,
      transact: storage.transact,
    },
    commandActors,
  );
  const chargingProfiles = new ChargingProfiles(
    {
      store: storage.chargingProfiles,
      openCommands: () => storage.commands.open(),
      session: (id) => system.sessions.view(id),
      // EVSE 0 (2.0.1) or none: the whole station.
      runningAt: (cp, evse) => {
        if (evse === undefined || evse === 0) return storage.chargePoints.runningSessions(cp);
        const id = system.sessions.runningOn(cp, evse);
        return id ? [id] : [];
      },
      location,
      station,
      tell: (partnerId, sessionId, active, to) => system.feed.activeChargingProfile(partnerId, sessionId, active, to),
      transact: storage.transact,
      clock,
      logger,
      timeoutSeconds: settings.commandTimeoutSeconds,
    },
    commandActors,
  );
  return { commandActors, commands, chargingProfiles };
}
