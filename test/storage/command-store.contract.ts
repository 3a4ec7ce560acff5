/**
 * CommandStore: the OCPI commands we accepted, until their CommandResult is settled (by the station's answer or
 * the deadline, whichever comes first), and the reservations they made (actors/commands). Open commands and
 * live reservations are re-armed at boot from what this store returns.
 */
import { describe, expect, test } from 'bun:test';
import type { CommandRecord, CommandStore, ReservationRecord } from '../../src/storage/ports.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { T0 } from './mothers.ts';

const aCommand = (id: string, more: Partial<Omit<CommandRecord, 'result'>> = {}): Omit<CommandRecord, 'result'> => ({
  id,
  partnerId: 'emsp-1',
  type: 'START_SESSION',
  body: { response_url: `https://emsp.example/commands/${id}`, token: { uid: 'TAG-1', type: 'RFID' }, location_id: 'LOC1', evse_uid: 'EVSE-1' },
  chargePointId: 'CP-1',
  ocppEvseId: 1,
  ocppIdTag: 'TAG-1',
  createdAtMs: T0,
  deadlineMs: T0 + 30_000,
  to: null,
  ...more,
});

const aReservation = (emspReservationId: string, more: Partial<Omit<ReservationRecord, 'reservationId'>> = {}): Omit<ReservationRecord, 'reservationId'> => ({
  partnerId: 'emsp-1',
  emspReservationId,
  chargePointId: 'CP-1',
  ocppEvseId: 1,
  responseUrl: `https://emsp.example/commands/reserve/${emspReservationId}`,
  expiryMs: T0 + 3600_000,
  status: 'requested',
  ...more,
});

export function describeCommandStoreContract(name: string, makeAdapter: () => AdapterUnderTest<CommandStore>) {
  describe(`CommandStore contract: ${name}`, () => {
    const fixture = freshPerTest(makeAdapter);
    const store = () => fixture().adapter;

    describe('commands', () => {
      test('an inserted command reads back as given, not yet settled; an unknown one reads nothing', () => {
        store().insert(aCommand('c-1'));
        expect(store().get('c-1')).toEqual({ ...aCommand('c-1'), result: null });
        expect(store().get('c-2')).toBeUndefined();
      });

      test('the party its CommandResult is for reads back as given', () => {
        store().insert(aCommand('c-1', { to: { country_code: 'DE', party_id: 'ABC' } }));
        expect(store().get('c-1')?.to).toEqual({ country_code: 'DE', party_id: 'ABC' });
      });

      test('a command for no station (e.g. an unknown location) keeps its nulls', () => {
        store().insert(aCommand('c-1', { chargePointId: null, ocppEvseId: null, ocppIdTag: null }));
        expect(store().get('c-1')).toMatchObject({ chargePointId: null, ocppEvseId: null, ocppIdTag: null });
      });

      test('a command is settled once: the first result wins, a second settle is refused', () => {
        store().insert(aCommand('c-1'));
        expect(store().settle('c-1', 'ACCEPTED')).toBe(true);
        expect(store().settle('c-1', 'TIMEOUT')).toBe(false);
        expect(store().get('c-1')?.result).toBe('ACCEPTED');
      });

      test('settling an unknown command is refused', () => {
        expect(store().settle('nobody', 'TIMEOUT')).toBe(false);
      });

      test('open() lists the commands not yet settled, with their deadlines', () => {
        store().insert(aCommand('c-1', { deadlineMs: T0 + 10_000 }));
        store().insert(aCommand('c-2', { deadlineMs: T0 + 20_000 }));
        store().insert(aCommand('c-3'));
        store().settle('c-2', 'REJECTED');
        expect(store().open().map((c) => [c.id, c.deadlineMs]).toSorted()).toEqual([['c-1', T0 + 10_000], ['c-3', T0 + 30_000]]);
      });

      test("latestFor finds the station's newest START_SESSION or RESERVE_NOW for an id tag, settled or not", () => {
        store().insert(aCommand('start-old', { createdAtMs: T0 }));
        store().insert(aCommand('reserve', { type: 'RESERVE_NOW', createdAtMs: T0 + 1000 }));
        store().settle('reserve', 'ACCEPTED');
        expect(store().latestFor('CP-1', 'TAG-1')?.id).toBe('reserve');
        store().insert(aCommand('start-new', { createdAtMs: T0 + 2000 }));
        expect(store().latestFor('CP-1', 'TAG-1')?.id).toBe('start-new');
      });

      test('latestFor ignores other command types, other stations and other id tags', () => {
        store().insert(aCommand('start', { createdAtMs: T0 }));
        store().insert(aCommand('stop', { type: 'STOP_SESSION', createdAtMs: T0 + 1000 }));
        store().insert(aCommand('unlock', { type: 'UNLOCK_CONNECTOR', createdAtMs: T0 + 2000 }));
        store().insert(aCommand('elsewhere', { chargePointId: 'CP-2', createdAtMs: T0 + 3000 }));
        store().insert(aCommand('someone-else', { ocppIdTag: 'TAG-2', createdAtMs: T0 + 4000 }));
        expect(store().latestFor('CP-1', 'TAG-1')?.id).toBe('start');
        expect(store().latestFor('CP-3', 'TAG-1')).toBeUndefined();
      });

      test('every remote start gets a new positive integer id (2.0.1 remoteStartId)', () => {
        const ids = ['c-1', 'c-2', 'c-3'].map((id) => store().nextRemoteStartId(id));
        expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
        expect(new Set(ids).size).toBe(3);
      });
    });

    describe('reservations', () => {
      test('a new reservation gets a positive integer id (the OCPP reservationId) and reads back by partner and eMSP id', () => {
        const created = store().upsertReservation(aReservation('r-1'));
        expect(Number.isInteger(created.reservationId) && created.reservationId > 0).toBe(true);
        expect(created).toEqual({ reservationId: created.reservationId, ...aReservation('r-1') });
        expect(store().reservation('emsp-1', 'r-1')).toEqual(created);
        expect(store().reservation('emsp-1', 'r-2')).toBeUndefined();
      });

      test("the same reservation_id again replaces the reservation and keeps its OCPP id (OCPI 2.2.1 RESERVE_NOW)", () => {
        const first = store().upsertReservation(aReservation('r-1'));
        store().setReservationStatus(first.reservationId, 'active');
        const replaced = store().upsertReservation(aReservation('r-1', { chargePointId: 'CP-2', ocppEvseId: 2, expiryMs: T0 + 7200_000, status: 'requested' }));
        expect(replaced).toEqual({ ...aReservation('r-1', { chargePointId: 'CP-2', ocppEvseId: 2, expiryMs: T0 + 7200_000 }), reservationId: first.reservationId });
        expect(store().reservation('emsp-1', 'r-1')).toEqual(replaced);
      });

      test("an eMSP's reservation ids are its own: another partner's same id is another reservation", () => {
        const mine = store().upsertReservation(aReservation('r-1'));
        const theirs = store().upsertReservation(aReservation('r-1', { partnerId: 'emsp-2', chargePointId: 'CP-9' }));
        expect(theirs.reservationId).not.toBe(mine.reservationId);
        expect(store().reservation('emsp-1', 'r-1')?.chargePointId).toBe('CP-1');
        expect(store().reservation('emsp-2', 'r-1')?.chargePointId).toBe('CP-9');
      });

      test('a status change reads back', () => {
        const r = store().upsertReservation(aReservation('r-1'));
        store().setReservationStatus(r.reservationId, 'active');
        expect(store().reservation('emsp-1', 'r-1')?.status).toBe('active');
      });

      test('an expiry takes a live, due reservation to expired once: a second firing, a reservation not yet due or no longer live is refused', () => {
        const r = store().upsertReservation(aReservation('r-1'));
        store().setReservationStatus(r.reservationId, 'active');
        expect(store().expireReservation(r.reservationId, r.expiryMs - 1)).toBe(false);
        expect(store().expireReservation(r.reservationId, r.expiryMs)).toBe(true);
        expect(store().expireReservation(r.reservationId, r.expiryMs)).toBe(false);
        expect(store().reservation('emsp-1', 'r-1')?.status).toBe('expired');
        const used = store().upsertReservation(aReservation('r-2'));
        store().setReservationStatus(used.reservationId, 'used');
        expect(store().expireReservation(used.reservationId, used.expiryMs)).toBe(false);
        expect(store().reservation('emsp-1', 'r-2')?.status).toBe('used');
      });

      test('live reservations are the requested and active ones', () => {
        const statuses = ['requested', 'active', 'used', 'cancelled', 'expired', 'refused'] as const;
        for (const status of statuses) store().setReservationStatus(store().upsertReservation(aReservation(`r-${status}`)).reservationId, status);
        expect(store().liveReservations().map((r) => r.emspReservationId).toSorted()).toEqual(['r-active', 'r-requested']);
      });
    });
  });
}
