import type { CDR } from '../../model/ocpi/cdr.ts';
import { dec } from '../money.ts';
import type { ReceiptData, ReceiptDimension, ReceiptLine } from './receipt-data.ts';

export interface ReceiptPaymentFacts {
  /** The amount actually charged (CDR incl. VAT rounded to minor units, capped at the hold), major units. */
  charged: string;
  brand?: string;
  last4?: string;
  reference: string;
}

/**
 * The price per unit of one dimension, excl. VAT like the receipt's lines: OCPI prices ENERGY per kWh, TIME and
 * PARKING_TIME per hour and FLAT per session (OCPI 2.2.1 tariffs, PriceComponent). Only when the CDR's tariffs
 * hold one price for the dimension: with several (time-of-day or kWh-band elements) no single price explains the
 * line, so none is printed.
 */
function unitPrice(cdr: CDR, dimension: ReceiptDimension): { unitPriceExclVat: string } | Record<string, never> {
  const prices = new Set(
    (cdr.tariffs ?? []).flatMap((t) => t.elements.flatMap((e) => e.price_components.filter((c) => c.type === dimension).map((c) => dec(c.price).toString()))),
  );
  return prices.size === 1 ? { unitPriceExclVat: [...prices][0]! } : {};
}

/**
 * A guest's receipt from its CDR (the billing document: location, tariff and totals as at session start), the
 * location's time zone and the payment. The total is what was charged, so receipt, capture and
 * final_cost are the same amount. `connector` is the number the guest chose (OCPP connectorId / evseId, the one
 * printed on the charge point); the CDR's connector_id is the OCPI connector within the EVSE, usually "1".
 */
export function receiptFromCdr(
  cdr: CDR,
  timeZone: string,
  operator: ReceiptData['operator'],
  payment: ReceiptPaymentFacts,
  connector: string = cdr.cdr_location.connector_id,
): ReceiptData {
  const place = cdr.cdr_location;
  const lines: ReceiptLine[] = [];
  const line = (dimension: ReceiptDimension, quantity: string, unit: string, amountExclVat: number) =>
    lines.push({ dimension, quantity, unit, ...unitPrice(cdr, dimension), amountExclVat: String(amountExclVat) });
  if (cdr.total_fixed_cost) line('FLAT', '1', 'session', cdr.total_fixed_cost.excl_vat);
  if (cdr.total_energy_cost) line('ENERGY', String(cdr.total_energy), 'kWh', cdr.total_energy_cost.excl_vat);
  const parking = dec(cdr.total_parking_time ?? 0);
  if (cdr.total_time_cost) line('TIME', dec(cdr.total_time).minus(parking).toString(), 'h', cdr.total_time_cost.excl_vat);
  if (cdr.total_parking_cost) line('PARKING_TIME', parking.toString(), 'h', cdr.total_parking_cost.excl_vat);
  const exclVat = dec(cdr.total_cost.excl_vat);
  // One VAT rate across the tariff's components is printed next to the VAT amount; mixed rates are not.
  const rates = [...new Set((cdr.tariffs ?? []).flatMap((t) => t.elements.flatMap((e) => e.price_components.map((c) => c.vat))))];
  const vatRate = rates.length === 1 && rates[0] !== undefined ? String(rates[0]) : undefined;
  const inclVat = dec(payment.charged);
  return {
    receiptNumber: cdr.id,
    issuedAt: cdr.last_updated,
    operator,
    location: {
      name: place.name ?? place.id,
      address: { street: place.address, city: place.city, country: place.country, ...(place.postal_code ? { postalCode: place.postal_code } : {}), ...(place.state ? { state: place.state } : {}) },
      timeZone,
    },
    evse: { evseId: cdr.cdr_location.evse_id, connectorId: connector },
    session: { startUtc: cdr.start_date_time, endUtc: cdr.end_date_time, energyKwh: String(cdr.total_energy) },
    currency: cdr.currency,
    lines,
    totals: { exclVat: exclVat.toString(), vat: inclVat.minus(exclVat).toString(), inclVat: inclVat.toString() },
    ...(vatRate ? { vatRatePercent: vatRate } : {}),
    payment: { reference: payment.reference, ...(payment.brand ? { brand: payment.brand } : {}), ...(payment.last4 ? { last4: payment.last4 } : {}) },
  };
}
