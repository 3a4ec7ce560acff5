import type { CDR } from '../../model/ocpi/cdr.ts';
import { dec } from '../money.ts';
import type { ReceiptData, ReceiptLine } from './receipt-data.ts';

export interface ReceiptPaymentFacts {
  /** The amount actually charged (CDR incl. VAT rounded to minor units, capped at the hold), major units. */
  charged: string;
  brand?: string;
  last4?: string;
  reference: string;
}

/**
 * A guest's receipt from its CDR (the billing document: location, tariff and totals as at session start), the
 * location's time zone and the payment. The total is what was charged, so receipt, capture and
 * final_cost are the same amount.
 */
export function receiptFromCdr(cdr: CDR, timeZone: string, operator: ReceiptData['operator'], payment: ReceiptPaymentFacts): ReceiptData {
  const place = cdr.cdr_location;
  const lines: ReceiptLine[] = [];
  if (cdr.total_fixed_cost) lines.push({ dimension: 'FLAT', quantity: '1', unit: 'session', amountExclVat: String(cdr.total_fixed_cost.excl_vat) });
  if (cdr.total_energy_cost) lines.push({ dimension: 'ENERGY', quantity: String(cdr.total_energy), unit: 'kWh', amountExclVat: String(cdr.total_energy_cost.excl_vat) });
  const parking = dec(cdr.total_parking_time ?? 0);
  if (cdr.total_time_cost) lines.push({ dimension: 'TIME', quantity: dec(cdr.total_time).minus(parking).toString(), unit: 'h', amountExclVat: String(cdr.total_time_cost.excl_vat) });
  if (cdr.total_parking_cost) lines.push({ dimension: 'PARKING_TIME', quantity: parking.toString(), unit: 'h', amountExclVat: String(cdr.total_parking_cost.excl_vat) });
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
    evse: { evseId: cdr.cdr_location.evse_id, connectorId: cdr.cdr_location.connector_id },
    session: { startUtc: cdr.start_date_time, endUtc: cdr.end_date_time, energyKwh: String(cdr.total_energy) },
    currency: cdr.currency,
    lines,
    totals: { exclVat: exclVat.toString(), vat: inclVat.minus(exclVat).toString(), inclVat: inclVat.toString() },
    ...(vatRate ? { vatRatePercent: vatRate } : {}),
    payment: { reference: payment.reference, ...(payment.brand ? { brand: payment.brand } : {}), ...(payment.last4 ? { last4: payment.last4 } : {}) },
  };
}
