/**
 * Sessions, CDRs and Commands schemas against the OCPI 2.2.1 release examples (src/model/ocpi/examples) and
 * the digest's rules (5.2, 5.3, 5.6, pitfalls 8.2). Examples with known defects (8.4) are schema-valid: the
 * defects (Wh-looking kWh values, swapped coordinates) are semantic and asserted as such below.
 */
import { describe, expect, test } from 'bun:test';
import { readdirSync } from 'node:fs';
import { CloneType, Kind, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Elysia } from 'elysia';
import * as cdrModule from '../../src/model/ocpi/cdr.ts';
import { CDR, CdrChargingPeriod, CdrLocation, SESSION_ONLY_DIMENSION_TYPES, SignedData, SignedValue } from '../../src/model/ocpi/cdr.ts';
import * as commandsModule from '../../src/model/ocpi/commands.ts';
import {
  CancelReservation,
  CommandBodies,
  CommandResponse,
  CommandResult,
  CommandType,
  ReserveNow,
  StartSession,
  StopSession,
  UnlockConnector,
} from '../../src/model/ocpi/commands.ts';
import * as sessionModule from '../../src/model/ocpi/session.ts';
import {
  CdrDimensionType,
  CdrToken,
  ChargingPeriod,
  ChargingPreferences,
  ChargingPreferencesResponse,
  Session,
  SessionPatch,
  SessionStatus,
} from '../../src/model/ocpi/session.ts';
import { Tariff } from '../../src/model/ocpi/tariff.ts';
import { Token } from '../../src/model/ocpi/token.ts';
import { EXAMPLES_DIR, example } from '../support/mothers/examples.ts';
import { errorPaths, errors, expectRejectedAt, expectValid } from '../support/schema-checks.ts';


const VALID: Record<string, TSchema> = {
  'session_example_1_simple_start.json': Session,
  'session_example_2_short_finished.json': Session,
  'session_patch_example_charging_period.json': SessionPatch,
  'session_patch_example_total_cost.json': SessionPatch,
  'cdr_example.json': CDR,
};

const token = () => example('token_put_example.json');
const RESPONSE_URL = 'https://www.server.com/ocpi/emsp/2.2.1/commands/START_SESSION/1234';

describe('Session and CDR example fixtures', () => {
  test('every session_*/cdr_* fixture is classified', () => {
    const inScope = readdirSync(EXAMPLES_DIR).filter((name) => /^(session|cdr)_.*\.json$/.test(name));
    expect(inScope.sort()).toEqual(Object.keys(VALID).sort());
  });

  for (const [name, schema] of Object.entries(VALID)) {
    test(`${name} is a valid ${schema.title}`, () => expectValid(schema, example(name)));
  }

  test('session PATCH examples are not full Sessions, full Sessions are valid PATCH bodies', () => {
    expect(Value.Check(Session, example('session_patch_example_charging_period.json'))).toBe(false);
    expect(Value.Check(Session, example('session_patch_example_total_cost.json'))).toBe(false);
    expectValid(SessionPatch, example('session_example_2_short_finished.json'));
  });

  test('8.4: Wh-looking ENERGY volumes are schema-valid numbers (the unit defect is semantic)', () => {
    const session = example('session_example_2_short_finished.json');
    const energy = session.charging_periods.flatMap((p: any) => p.dimensions).filter((d: any) => d.type === 'ENERGY');
    expect(energy.map((d: any) => d.volume)).toEqual([120, 41000]);
    // 41 000 kWh in one period of a 41.12 kWh session: only a plausibility check could catch it, not the schema.
    expect(energy.some((d: any) => d.volume > session.kwh)).toBe(true);
    expectValid(Session, session);
    expectValid(SessionPatch, example('session_patch_example_charging_period.json'));
  });

  test('8.4: cdr_example swaps latitude/longitude, which the coordinate regexes cannot detect', () => {
    const cdr = example('cdr_example.json');
    const location = example('location_example.json');
    expect(cdr.cdr_location.id).toBe(location.id);
    expect(cdr.cdr_location.coordinates).toEqual({
      latitude: location.coordinates.longitude,
      longitude: location.coordinates.latitude,
    });
    expectValid(CdrLocation, cdr.cdr_location);
    // The corrected snapshot is valid too.
    expectValid(CDR, { ...cdr, cdr_location: { ...cdr.cdr_location, coordinates: location.coordinates } });
  });

  test('the CDR embeds full Tariff objects', () => {
    const cdr = example('cdr_example.json');
    for (const tariff of cdr.tariffs) expectValid(Tariff, tariff);
    expectRejectedAt(CDR, { ...cdr, tariffs: [{ ...cdr.tariffs[0], elements: [] }] }, ['/tariffs/0/elements']);
    const { tariffs: _, ...withoutTariffs } = cdr;
    expectValid(CDR, withoutTariffs);
  });
});

describe('Session rules', () => {
  const session = () => example('session_example_2_short_finished.json');

  test('status RESERVED is rejected: the SessionStatus value is RESERVATION (pitfall 28)', () => {
    expectRejectedAt(Session, { ...session(), status: 'RESERVED' }, ['/status']);
    expectValid(Session, { ...session(), status: 'RESERVATION', evse_uid: '#NA', connector_id: '#NA', auth_method: 'COMMAND' });
    expect(Value.Check(SessionStatus, 'reservation')).toBe(false);
  });

  test('CdrDimensionType values are case-sensitive', () => {
    const s = session();
    s.charging_periods[0].dimensions[0].type = 'energy';
    expectRejectedAt(Session, s, ['/charging_periods/0/dimensions/0/type']);
    expect(Value.Check(CdrDimensionType, 'Parking_Time')).toBe(false);
    expect(Value.Check(CdrDimensionType, 'PARKING_TIME')).toBe(true);
  });

  test('a ChargingPeriod needs at least one dimension; tariff_id is optional CiString(36)', () => {
    const s = session();
    s.charging_periods[1].dimensions = [];
    s.charging_periods[2].tariff_id = 'x'.repeat(37);
    expectRejectedAt(Session, s, ['/charging_periods/1/dimensions', '/charging_periods/2/tariff_id']);
  });

  test('charging_periods and total_cost are optional; ids are CiString(36)', () => {
    const { charging_periods: _p, total_cost: _c, end_date_time: _e, ...minimal } = session();
    expectValid(Session, minimal);
    expectRejectedAt(Session, { ...session(), id: 'x'.repeat(37) }, ['/id']);
    expectRejectedAt(Session, { ...session(), location_id: 'Zürich' }, ['/location_id']);
  });

  test('required fields: cdr_token, auth_method, currency, kwh, status, last_updated', () => {
    for (const field of ['cdr_token', 'auth_method', 'currency', 'kwh', 'status', 'last_updated', 'evse_uid', 'connector_id']) {
      const s = session();
      delete s[field];
      expect(errorPaths(Session, s)).toEqual([`/${field}`]);
    }
  });

  test('kwh is a JSON number, DateTimes are UTC without offsets', () => {
    expectRejectedAt(Session, { ...session(), kwh: '41.12' }, ['/kwh']);
    expectRejectedAt(Session, { ...session(), end_date_time: '2015-06-29T23:50:16+00:00' }, ['/end_date_time']);
  });

  test('CdrToken: country_code and party_id are mandatory since 2.2.1 (pitfall 31)', () => {
    const s = session();
    delete s.cdr_token.country_code;
    delete s.cdr_token.party_id;
    expectRejectedAt(Session, s, ['/cdr_token/country_code', '/cdr_token/party_id']);
    expectRejectedAt(CdrToken, { ...session().cdr_token, type: 'rfid' }, ['/type']);
  });

  test('SessionPatch must carry last_updated, and what it carries is validated', () => {
    expectRejectedAt(SessionPatch, { kwh: 1.5 }, ['/last_updated']);
    expectRejectedAt(SessionPatch, { status: 'RESERVED', last_updated: '2019-06-23T08:16:02Z' }, ['/status']);
    expectValid(SessionPatch, { status: 'COMPLETED', end_date_time: '2019-06-23T09:00:00Z', last_updated: '2019-06-23T09:00:01Z' });
  });

  test('ChargingPreferences and its response enum', () => {
    expectValid(ChargingPreferences, { profile_type: 'FAST', departure_time: '2019-06-23T18:00:00Z', energy_need: 32.5 });
    expectValid(ChargingPreferences, { profile_type: 'GREEN', discharge_allowed: true });
    expectRejectedAt(ChargingPreferences, { energy_need: 32.5 }, ['/profile_type']);
    expectRejectedAt(ChargingPreferences, { profile_type: 'CHEAPEST' }, ['/profile_type']);
    expect(Value.Check(ChargingPreferencesResponse, 'PROFILE_TYPE_NOT_SUPPORTED')).toBe(true);
    expect(Value.Check(ChargingPreferencesResponse, 'NOT_SUPPORTED')).toBe(false);
  });
});

describe('CDR rules', () => {
  const cdr = () => example('cdr_example.json');

  test('id is CiString(39): 39 characters (credit suffix) pass, 40 are rejected', () => {
    expectValid(CDR, { ...cdr(), id: `${'x'.repeat(36)}-C1` });
    expectRejectedAt(CDR, { ...cdr(), id: 'x'.repeat(40) }, ['/id']);
    expectRejectedAt(CDR, { ...cdr(), credit: true, credit_reference_id: 'x'.repeat(40) }, ['/credit_reference_id']);
    expectRejectedAt(CDR, { ...cdr(), invoice_reference_id: 'x'.repeat(40) }, ['/invoice_reference_id']);
  });

  test('a credit CDR with negative totals is valid', () => {
    const original = cdr();
    expectValid(CDR, {
      ...original,
      id: `${original.id}-C`,
      credit: true,
      credit_reference_id: original.id,
      total_cost: { excl_vat: -4.0, incl_vat: -4.4 },
      total_time_cost: { excl_vat: -4.0, incl_vat: -4.4 },
    });
  });

  test('at least one charging period; required totals', () => {
    expectRejectedAt(CDR, { ...cdr(), charging_periods: [] }, ['/charging_periods']);
    for (const field of ['total_cost', 'total_energy', 'total_time', 'cdr_location', 'end_date_time', 'cdr_token']) {
      const c = cdr();
      delete c[field];
      expect(errorPaths(CDR, c)).toEqual([`/${field}`]);
    }
  });

  test('Session-only dimension types are rejected in a CDR but accepted in a Session', () => {
    for (const type of SESSION_ONLY_DIMENSION_TYPES) {
      const period = { start_date_time: '2015-06-29T21:39:09Z', dimensions: [{ type, volume: 1 }] };
      expectValid(ChargingPeriod, period);
      const c = cdr();
      c.charging_periods.push(period);
      expectRejectedAt(CDR, c, ['/charging_periods/1/dimensions/0/type']);
    }
    const allowed = CdrDimensionType.anyOf.map((literal) => literal.const).filter((type) => !SESSION_ONLY_DIMENSION_TYPES.includes(type as never));
    expect(allowed.sort()).toEqual(['ENERGY', 'MAX_CURRENT', 'MAX_POWER', 'MIN_CURRENT', 'MIN_POWER', 'PARKING_TIME', 'RESERVATION_TIME', 'TIME']);
    for (const type of allowed) {
      expectValid(CdrChargingPeriod, { start_date_time: '2015-06-29T21:39:09Z', dimensions: [{ type, volume: 0.5 }] });
    }
  });

  test('CdrLocation: spec lengths (address 45, state 20), alpha-3 country, enums, #NA for reservation-only', () => {
    const location = cdr().cdr_location;
    expectValid(CdrLocation, { ...location, address: 'a'.repeat(45), state: 's'.repeat(20) });
    expectRejectedAt(CdrLocation, { ...location, address: 'a'.repeat(46), state: 's'.repeat(21) }, ['/address', '/state']);
    expectRejectedAt(CdrLocation, { ...location, country: 'BELG' }, ['/country']);
    expectRejectedAt(CdrLocation, { ...location, connector_standard: 'iec_62196_t2' }, ['/connector_standard']);
    expectRejectedAt(CdrLocation, { ...location, evse_id: 'x'.repeat(49) }, ['/evse_id']);
    expectValid(CdrLocation, { ...location, evse_uid: '#NA', evse_id: '#NA', connector_id: '#NA' });
  });

  test('SignedData / SignedValue: plain_data up to 5000 (post-d2 erratum), at least one value', () => {
    const value = { nature: 'Start', plain_data: 'p'.repeat(5000), signed_data: 's'.repeat(5000) };
    expectValid(SignedValue, value);
    expectRejectedAt(SignedValue, { ...value, plain_data: 'p'.repeat(5001) }, ['/plain_data']);
    expectRejectedAt(SignedValue, { ...value, nature: 'n'.repeat(33) }, ['/nature']);
    const signed = { encoding_method: 'OCMF', encoding_method_version: 1, public_key: 'a2V5', signed_values: [value], url: 'https://verify.example/1' };
    expectValid(SignedData, signed);
    expectRejectedAt(SignedData, { ...signed, signed_values: [] }, ['/signed_values']);
    expectRejectedAt(SignedData, { ...signed, encoding_method_version: 1.5 }, ['/encoding_method_version']);
    expectValid(CDR, { ...cdr(), signed_data: signed });
    expectRejectedAt(CDR, { ...cdr(), signed_data: { ...signed, public_key: 'k'.repeat(513) } }, ['/signed_data/public_key']);
  });
});

describe('Commands', () => {
  const startSession = () => ({
    response_url: RESPONSE_URL,
    token: token(),
    location_id: 'LOC1',
    evse_uid: '3256',
    connector_id: '1',
    authorization_reference: 'ref-1',
  });

  test('StartSession carries a full Token; evse_uid/connector_id/authorization_reference optional', () => {
    expectValid(StartSession, startSession());
    expectValid(StartSession, { response_url: RESPONSE_URL, token: token(), location_id: 'LOC1' });
    expectRejectedAt(StartSession, { ...startSession(), response_url: undefined }, ['/response_url']);
    const { last_updated: _, ...tokenWithoutLastUpdated } = token();
    expectRejectedAt(StartSession, { ...startSession(), token: tokenWithoutLastUpdated }, ['/token/last_updated']);
    expectRejectedAt(StartSession, { ...startSession(), authorization_reference: 'r'.repeat(37) }, ['/authorization_reference']);
  });

  test('StopSession, ReserveNow, CancelReservation, UnlockConnector', () => {
    expectValid(StopSession, { response_url: RESPONSE_URL, session_id: '101' });
    expectRejectedAt(StopSession, { response_url: RESPONSE_URL }, ['/session_id']);

    const reserve = {
      response_url: RESPONSE_URL,
      token: token(),
      expiry_date: '2020-03-09T11:17:09Z',
      reservation_id: '1234',
      location_id: 'LOC1',
    };
    expectValid(ReserveNow, reserve);
    expectValid(ReserveNow, { ...reserve, evse_uid: '3256', authorization_reference: 'ref-2' });
    expectRejectedAt(ReserveNow, { ...reserve, expiry_date: '2020-03-09T12:17:09+01:00' }, ['/expiry_date']);
    expectRejectedAt(ReserveNow, { ...reserve, reservation_id: undefined }, ['/reservation_id']);

    expectValid(CancelReservation, { response_url: RESPONSE_URL, reservation_id: '1234' });
    expectRejectedAt(CancelReservation, { response_url: 'u'.repeat(256), reservation_id: '1234' }, ['/response_url']);

    const unlock = { response_url: RESPONSE_URL, location_id: 'LOC1', evse_uid: '3256', connector_id: '1' };
    expectValid(UnlockConnector, unlock);
    for (const field of ['location_id', 'evse_uid', 'connector_id'] as const) {
      expectRejectedAt(UnlockConnector, { ...unlock, [field]: undefined }, [`/${field}`]);
    }
  });

  test('CommandResponse needs an integer timeout; messages are DisplayText lists', () => {
    expectValid(CommandResponse, { result: 'ACCEPTED', timeout: 30 });
    expectValid(CommandResponse, { result: 'UNKNOWN_SESSION', timeout: 0, message: [{ language: 'en', text: 'Unknown session' }] });
    expectRejectedAt(CommandResponse, { result: 'ACCEPTED' }, ['/timeout']);
    expectRejectedAt(CommandResponse, { result: 'ACCEPTED', timeout: 1.5 }, ['/timeout']);
    expectRejectedAt(CommandResponse, { result: 'EVSE_OCCUPIED', timeout: 30 }, ['/result']);
    expectRejectedAt(CommandResponse, { result: 'ACCEPTED', timeout: 30, message: { language: 'en', text: 'x' } }, ['/message']);
  });

  test('CommandResult values', () => {
    for (const result of ['ACCEPTED', 'CANCELED_RESERVATION', 'EVSE_OCCUPIED', 'EVSE_INOPERATIVE', 'FAILED', 'NOT_SUPPORTED', 'REJECTED', 'TIMEOUT', 'UNKNOWN_RESERVATION']) {
      expectValid(CommandResult, { result });
    }
    expectRejectedAt(CommandResult, { result: 'CANCELLED_RESERVATION' }, ['/result']);
    expectRejectedAt(CommandResult, { result: 'UNKNOWN_SESSION' }, ['/result']);
  });

  test('CommandBodies has a body schema for every CommandType', () => {
    const types = CommandType.anyOf.map((literal) => literal.const).sort();
    expect(Object.keys(CommandBodies).sort()).toEqual(types);
    expect(CommandBodies.START_SESSION).toBe(StartSession);
  });

  test('the schemas work as Elysia route bodies', async () => {
    // Elysia sets `additionalProperties: false` on the top level of a body schema it is given (observed with
    // Elysia 1.4.30), so pass clones here to keep the shared exports untouched for the other tests.
    const app = new Elysia()
      .post('/commands/START_SESSION', ({ body }) => ({ location: body.location_id }), { body: CloneType(StartSession) })
      .post('/sessions/charging_preferences', ({ body }) => ({ profile: body.profile_type }), {
        body: CloneType(ChargingPreferences),
      });
    const post = (path: string, body: unknown) =>
      app.handle(new Request(`http://localhost${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    expect((await post('/commands/START_SESSION', startSession())).status).toBe(200);
    expect((await post('/commands/START_SESSION', { ...startSession(), location_id: undefined })).status).toBe(422);
    expect((await post('/sessions/charging_preferences', { profile_type: 'FAST' })).status).toBe(200);
    expect((await post('/sessions/charging_preferences', { profile_type: 'fast' })).status).toBe(422);
    expect(StartSession.additionalProperties).toBeUndefined();
  });
});

describe('schema conventions', () => {
  const modules = { session: sessionModule, cdr: cdrModule, commands: commandsModule };

  for (const [name, mod] of Object.entries(modules)) {
    test(`${name}.ts: every exported schema has a title, no $id, no additionalProperties`, () => {
      const schemas = Object.entries(mod).filter(([, value]) => typeof value === 'object' && value !== null && Kind in value);
      expect(schemas.length).toBeGreaterThan(0);
      for (const [exportName, schema] of schemas as [string, TSchema][]) {
        expect({ exportName, title: typeof schema.title }).toEqual({ exportName, title: 'string' });
        expect(schema.$id).toBeUndefined();
        expect(schema.additionalProperties).toBeUndefined();
      }
    });
  }

  test('object titles match their export names', () => {
    const objects = Object.entries({ ...sessionModule, ...cdrModule, ...commandsModule }).filter(
      ([, value]) => typeof value === 'object' && value !== null && (value as TSchema)[Kind] === 'Object',
    );
    for (const [exportName, schema] of objects as [string, TSchema][]) expect(schema.title).toBe(exportName);
  });

  test('static types', () => {
    const reserved: SessionStatus = 'RESERVATION';
    // @ts-expect-error — the EVSE status name is not a SessionStatus
    const wrong: SessionStatus = 'RESERVED';
    const cdrPeriod: cdrModule.CdrChargingPeriod = { start_date_time: '2015-06-29T21:39:09Z', dimensions: [{ type: 'TIME', volume: 1 }] };
    // A CDR period is a ChargingPeriod; the reverse needs filtering of Session-only dimensions.
    const asSessionPeriod: sessionModule.ChargingPeriod = cdrPeriod;
    // @ts-expect-error — STATE_OF_CHARGE is Session-only
    const badCdrPeriod: cdrModule.CdrChargingPeriod = { start_date_time: 'x', dimensions: [{ type: 'STATE_OF_CHARGE', volume: 80 }] };
    expect([reserved, wrong, asSessionPeriod, badCdrPeriod]).toHaveLength(4);
    expect(Token.title).toBe('Token');
  });
});
