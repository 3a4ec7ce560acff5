import { describe, expect, test } from 'bun:test';
import { advanceMeter } from '../../../src/sim/stations/meter.ts';
import { chargingPowerKw } from '../../../src/sim/stations/power-curve.ts';
import type { Transaction } from '../../../src/sim/stations/types.ts';

const t0 = new Date('2026-03-01T10:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const transaction = (plannedWh: number, vehicleMaxKw: number): Transaction => ({
  idTag: 'CARD',
  tokenType: 'ISO14443',
  startedAt: t0,
  startWh: 1_000_000,
  plannedWh,
  deliveredWh: 0,
  vehicleMaxKw,
  lastSampleAt: t0,
  powerW: 0,
  seqNo: 0,
  interrupt: new AbortController(),
});

describe('power curve', () => {
  test('flat at the vehicle maximum up to 80 % of the planned energy, then tapering to 20 % of it', () => {
    expect(chargingPowerKw(0, 50)).toBe(50);
    expect(chargingPowerKw(0.8, 50)).toBe(50);
    expect(chargingPowerKw(0.9, 50)).toBeCloseTo(30, 6);
    expect(chargingPowerKw(1, 50)).toBeCloseTo(10, 6);
    for (let f = 0.8; f < 1; f += 0.02) expect(chargingPowerKw(f + 0.02, 50)).toBeLessThanOrEqual(chargingPowerKw(f, 50));
  });
});

describe('meter', () => {
  test('integrates power over simulated time: 10 minutes at 60 kW is 10 kWh', () => {
    const tx = transaction(40_000, 60);
    const s = advanceMeter(tx, minutes(10));
    expect(s.registerWh).toBe(1_010_000);
    expect(s.powerW).toBe(60_000);
    expect(s.at).toEqual(minutes(10));
  });

  test('never passes the planned energy; a session run to its end delivers exactly that, at decreasing power', () => {
    const tx = transaction(10_000, 50);
    const powers: number[] = [];
    let register = 0;
    for (let m = 1; m <= 60 && tx.deliveredWh < tx.plannedWh; m++) {
      const s = advanceMeter(tx, minutes(m));
      expect(s.registerWh).toBeGreaterThanOrEqual(register);
      register = s.registerWh;
      powers.push(s.powerW);
    }
    expect(register).toBe(1_010_000);
    expect(tx.deliveredWh).toBe(10_000);
    // Flat at first (8 kWh at 50 kW take 9.6 minutes), then tapering; 0 once the vehicle is full.
    expect(powers[0]).toBe(50_000);
    expect(powers.at(-1)).toBe(0);
    const tapering = powers.slice(10, -1);
    expect(tapering.length).toBeGreaterThan(0);
    for (let i = 1; i < tapering.length; i++) expect(tapering[i]!).toBeLessThan(tapering[i - 1]!);
  });

  test('an interrupted interval counts only the time until now', () => {
    const tx = transaction(40_000, 60);
    advanceMeter(tx, minutes(1));
    expect(advanceMeter(tx, new Date(minutes(1).getTime() + 30_000)).registerWh).toBe(1_001_500);
  });
});
