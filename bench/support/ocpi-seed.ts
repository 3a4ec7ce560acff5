/**
 * Data for bench/ocpi.ts, written the way the service writes it: locations through the charging network (what
 * `PUT /api/v1/locations/{id}` calls), CDRs through the session store (what a completing session actor calls).
 * Each item is the spec's example (two EVSEs, three connectors; the spec's CDR) with its own ids, so pages have
 * realistic sizes. Writes go in transactions of a thousand, as one big import would.
 */
import type { Network } from '../../src/charging-network/network.ts';
import type { LocationInput, TariffInput } from '../../src/model/api/network-input.ts';
import type { CDR } from '../../src/model/ocpi/cdr.ts';
import { cdrExample, locationExample, tariff1Simple2Hour } from '../../src/model/ocpi/spec-examples.ts';
import type { Storage } from '../../src/storage/storage.ts';

const BATCH = 1000;

export function seedLocations(network: Network, transact: Storage['transact'], count: number) {
  const { country_code: _cc, party_id: _pid, id: _id, last_updated: _lu, ...tariff } = tariff1Simple2Hour;
  for (const id of ['11', '12', '13']) network.putTariff(id, tariff as TariffInput);
  const { country_code: _c, party_id: _p, id: _i, last_updated: _l, evses, ...site } = locationExample;
  for (let from = 0; from < count; from += BATCH)
    transact(() => {
      for (let n = from; n < Math.min(count, from + BATCH); n++) {
        const id = `BENCH-${String(n + 1).padStart(6, '0')}`;
        const input = {
          ...site,
          name: `Bench site ${n + 1}`,
          coordinates: { latitude: (50 + (n % 1000) / 1000).toFixed(6), longitude: (4 + Math.floor(n / 1000) / 1000).toFixed(6) },
          evses: evses.map(({ last_updated: _e, ...evse }, e) => ({
            ...evse,
            uid: `${id}-${e + 1}`,
            evse_id: `NL*DYN*E${String(n + 1).padStart(6, '0')}${e + 1}`,
            connectors: evse.connectors.map(({ last_updated: _k, ...connector }) => connector),
          })),
        } as LocationInput;
        network.putLocation(id, input);
      }
    });
}

/** The last_updated of the n-th CDR seeded (from 0): one a minute from 2026-01-01. */
export function cdrStamp(n: number) {
  return new Date(Date.parse('2026-01-01T00:00:00Z') + n * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** CDRs of `owner`'s tokens, one a minute of last_updated, oldest first. */
export function seedCdrs(storage: Storage, count: number, owner: { countryCode: string; partyId: string }) {
  for (let from = 0; from < count; from += BATCH)
    storage.transact(() => {
      for (let n = from; n < Math.min(count, from + BATCH); n++) {
        const id = `BENCH-CDR-${String(n + 1).padStart(7, '0')}`;
        const cdr = {
          ...cdrExample,
          country_code: 'NL',
          party_id: 'DYN',
          id,
          session_id: `BENCH-SESSION-${n + 1}`,
          cdr_token: { ...cdrExample.cdr_token, country_code: owner.countryCode, party_id: owner.partyId },
          last_updated: cdrStamp(n),
        } as CDR;
        storage.sessions.insertCdr(cdr);
      }
    });
}
