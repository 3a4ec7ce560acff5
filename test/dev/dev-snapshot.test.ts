/** The dev page's snapshot over a fake port: sections, limits, failure isolation; the hub's change detection. */
import { describe, expect, test } from 'bun:test';
import type { SessionView } from '../../actors/session/sessions.ts';
import { SnapshotHub } from '../../src/dev/page/dev-routes.ts';
import { DEV_LIMITS, devSnapshot, type DevSources } from '../../src/dev/page/dev-snapshot.ts';
import { emspViewOf } from '../../src/dev/page/emsp-view.ts';
import type { CDR } from '../../src/model/ocpi/cdr.ts';
import type { Delivery } from '../../src/storage/ports.ts';
import { ManualClock } from '../support/manual-clock.ts';

const cdr = (n: number) =>
  ({
    id: `CDR-${n}`,
    session_id: `S-${n}`,
    cdr_token: { uid: `TOKEN-${n}` },
    cdr_location: { id: 'LOC', evse_uid: 'EVSE-1' },
    total_energy: n,
    total_cost: { excl_vat: n, incl_vat: n * 1.21 },
    currency: 'EUR',
    start_date_time: '2026-01-01T10:00:00Z',
    end_date_time: '2026-01-01T11:00:00Z',
  }) as unknown as CDR;

const row = (id: number, status: Delivery['status'], attempts: number, lastError: string | null = null): Delivery => ({
  id,
  channel: 'P1',
  objectKey: `location:L${id}`,
  method: 'PATCH',
  module: 'locations',
  path: `/L${id}`,
  body: {},
  to: null,
  status,
  attempts,
  createdAtMs: Date.parse('2026-01-01T00:00:00Z'),
  firstFailedAtMs: null,
  nextAttemptAtMs: 0,
  lastError,
  deliveredAtMs: null,
  responseLocation: null,
});

function sources(more: Partial<DevSources> = {}): DevSources {
  const allCdrs = Array.from({ length: 25 }, (_, i) => cdr(i + 1));
  const rows = [row(4, 'pending', 0), row(3, 'pending', 2, 'HTTP 503'), row(2, 'dead', 1, 'HTTP 400'), row(1, 'delivered', 1)];
  return {
    locations: () => [
      {
        id: 'LOC',
        name: 'Site',
        address: 'Street 1',
        city: 'Town',
        publish: true,
        evses: [
          {
            uid: 'EVSE-1',
            status: 'CHARGING',
            ocpp: { charge_point_id: 'CP1', evse_id: 1 },
            connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_1_PHASE', max_voltage: 230, max_amperage: 16 }],
          },
        ],
      } as never,
    ],
    sessions: () => [
      {
        context: { id: 'S-live', chargePointId: 'CP1', ocppEvseId: 1, startAt: '2026-01-01T12:00:00Z' },
        state: 'active',
        session: { status: 'ACTIVE', location_id: 'LOC', evse_uid: 'EVSE-1', cdr_token: { uid: 'T' }, kwh: 3.5, total_cost: { excl_vat: 1, incl_vat: 1.21 }, currency: 'EUR' },
      } as unknown as SessionView,
      { context: { id: 'S-done' }, state: 'completed' } as unknown as SessionView,
    ],
    cdrs: ({ offset, limit }) => ({ items: allCdrs.slice(offset, offset + limit), total: allCdrs.length }),
    partners: () => [{ id: 'P1', name: 'eMSP One', status: 'registered' }],
    deliveries: (_, statuses, limit) => rows.filter((r) => statuses.includes(r.status)).slice(0, limit),
    chargePoint: (id) => (id === 'CP1' ? { connected: true } : undefined),
    ...more,
  };
}

describe('devSnapshot', () => {
  test('locations with live EVSE status and binding, live sessions only, the newest CDRs first, queue counts', () => {
    const snap = devSnapshot(sources());
    expect(snap.problems).toEqual([]);
    expect(snap.locations[0]!.evses).toEqual([
      { uid: 'EVSE-1', evse_id: null, status: 'CHARGING', charge_point_id: 'CP1', ocpp_evse_id: 1, connected: true, power: 'AC 3.7 kW' },
    ]);
    expect(snap.sessions).toEqual([
      {
        id: 'S-live',
        status: 'ACTIVE',
        charge_point_id: 'CP1',
        ocpp_evse_id: 1,
        location_id: 'LOC',
        evse_uid: 'EVSE-1',
        token_uid: 'T',
        kwh: 3.5,
        total_incl_vat: 1.21,
        total_excl_vat: 1,
        currency: 'EUR',
        start: '2026-01-01T12:00:00Z',
        limit_kw: null,
      },
    ]);
    // A session its eMSP limits: the limit in kW, one decimal.
    expect(devSnapshot(sources({ chargingLimit: (id) => (id === 'S-live' ? 7383 : undefined) })).sessions[0]!.limit_kw).toBe(7.4);
    expect(snap.cdr_total).toBe(25);
    expect(snap.cdrs.map((c) => c.id)).toEqual(Array.from({ length: DEV_LIMITS.cdrs }, (_, i) => `CDR-${25 - i}`));
    expect(snap.cdrs[0]).toMatchObject({ token_uid: 'TOKEN-25', kwh: 25, total_excl_vat: 25, currency: 'EUR', end: '2026-01-01T11:00:00Z' });
    expect(snap.deliveries).toEqual([
      expect.objectContaining({ partner_id: 'P1', name: 'eMSP One', status: 'registered', counts: { pending: 1, failed: 1, dead: 1 }, counts_capped: false }),
    ]);
    expect(snap.deliveries[0]!.latest.map((d) => [d.id, d.state, d.last_error])).toEqual([
      [4, 'pending', null],
      [3, 'failed', 'HTTP 503'],
      [2, 'dead', 'HTTP 400'],
      [1, 'delivered', null],
    ]);
    expect(snap.emsp).toBeNull();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  test('a failing source is reported in problems and the other sections still come', () => {
    const snap = devSnapshot(
      sources({
        sessions: () => {
          throw new Error('database is locked');
        },
        emspView: () => {
          throw new Error('eMSP gone');
        },
      }),
    );
    expect(snap.problems).toEqual(['sessions: database is locked', 'emsp: eMSP gone']);
    expect(snap.sessions).toEqual([]);
    expect(snap.emsp).toBeNull();
    expect(snap.locations).toHaveLength(1);
    expect(snap.cdrs).toHaveLength(DEV_LIMITS.cdrs);
  });
});

describe('emspViewOf', () => {
  test('statuses held, sessions and CDRs newest first, and CDRs received twice', () => {
    const view = emspViewOf({
      name: 'Sim eMSP',
      locations: [{ id: 'LOC', name: 'Site', evses: [{ uid: 'EVSE-1', status: 'AVAILABLE' }] }],
      sessions: new Map([
        ['a', { id: 'S1', status: 'COMPLETED', kwh: 2, total_cost: { excl_vat: 1 }, currency: 'EUR' }],
        ['b', { id: 'S2', status: 'ACTIVE', kwh: 1, evse_uid: 'EVSE-1' }],
      ]).values(),
      cdrs: [cdr(1), cdr(2), cdr(1)],
    });
    expect(view).toEqual({
      name: 'Sim eMSP',
      locations: [{ id: 'LOC', name: 'Site', evses: [{ uid: 'EVSE-1', status: 'AVAILABLE' }] }],
      sessions: [
        { id: 'S2', status: 'ACTIVE', evse_uid: 'EVSE-1', kwh: 1, total_incl_vat: null, currency: null },
        { id: 'S1', status: 'COMPLETED', evse_uid: null, kwh: 2, total_incl_vat: 1, currency: 'EUR' },
      ],
      session_count: 2,
      cdrs: [
        { id: 'CDR-1', kwh: 1, total_incl_vat: 1.21, currency: 'EUR', end: '2026-01-01T11:00:00Z' },
        { id: 'CDR-2', kwh: 2, total_incl_vat: 2.42, currency: 'EUR', end: '2026-01-01T11:00:00Z' },
        { id: 'CDR-1', kwh: 1, total_incl_vat: 1.21, currency: 'EUR', end: '2026-01-01T11:00:00Z' },
      ],
      cdr_count: 3,
      duplicate_cdr_ids: ['CDR-1'],
    });
    expect(emspViewOf({ locations: [], sessions: [], cdrs: [cdr(1), cdr(1)], duplicateCdrIds: [] }).duplicate_cdr_ids).toEqual([]);
  });
});

describe('SnapshotHub', () => {
  test('tells listeners at subscribe and then only on change; polls only while someone listens', () => {
    let value = 'a';
    let reads = 0;
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const hub = new SnapshotHub(
      () => {
        reads++;
        return value;
      },
      10,
      clock,
    );
    const heard: string[] = [];
    const unsubscribe = hub.subscribe((json) => heard.push(json));
    clock.advance(50);
    value = 'b';
    clock.advance(50);
    expect(heard).toEqual(['a', 'b']);
    expect(hub.subscriberCount).toBe(1);
    unsubscribe();
    expect(hub.subscriberCount).toBe(0);
    expect(clock.pending).toBe(0);
    const after = reads;
    clock.advance(50);
    expect(reads).toBe(after);
  });
});
