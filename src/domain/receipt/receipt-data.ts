/**
 * The input of a guest (card-paid) charging receipt. Plain data, independent of OCPI objects: the caller maps a
 * CDR, its location and the payment into it. Money and quantities are exact decimals (a decimal string such as
 * "12.34", or a Big from ../money.ts), never binary floats; times are ISO 8601 UTC instants, shown in the
 * location's IANA time zone.
 */
import type { Decimal } from '../money.ts';

/** An exact decimal: a decimal string ("0.35") or a Big. */
export type ReceiptDecimal = string | Decimal;

/** The tariff dimensions a receipt breaks the price into (OCPI TariffDimensionType, the priced ones). */
export type ReceiptDimension = 'ENERGY' | 'TIME' | 'PARKING_TIME' | 'FLAT';

/** A postal address as printed, one field per line part; any script DejaVu Sans covers (Latin, Greek, Cyrillic…). */
export interface ReceiptAddress {
  /** Street and number. */
  street: string;
  postalCode?: string;
  city: string;
  state?: string;
  /** The country as it should be printed (a name, not necessarily an ISO code). */
  country: string;
}

/** One price line per tariff dimension, excl. VAT. */
export interface ReceiptLine {
  dimension: ReceiptDimension;
  /**
   * How much of the dimension was billed, in `unit`: kWh for ENERGY, hours for TIME/PARKING_TIME (printed as
   * h:mm), a count for FLAT (usually 1).
   */
  quantity: ReceiptDecimal;
  /** The unit of `quantity`: 'kWh', 'h' (printed as h:mm) or any other label printed after the number. */
  unit: string;
  /** The price per unit excl. VAT, when there is a single one (printed as "€0.35 / kWh"); omit for mixed rates. */
  unitPriceExclVat?: ReceiptDecimal;
  /** The line total excl. VAT, in `ReceiptData.currency`. */
  amountExclVat: ReceiptDecimal;
}

export interface ReceiptTotals {
  exclVat: ReceiptDecimal;
  vat: ReceiptDecimal;
  inclVat: ReceiptDecimal;
}

export interface ReceiptPayment {
  /** Card brand as the payment provider reports it ("visa", "mastercard", "Visa"…), when it does. */
  brand?: string;
  /** The card's last four digits, when the provider gives them. */
  last4?: string;
  /** The provider's capture reference (e.g. a Stripe PaymentIntent or charge id). */
  reference: string;
}

export interface ReceiptData {
  /** The receipt number; also the seed of the PDF's document ID. */
  receiptNumber: string;
  /** When the receipt was issued (ISO UTC); defaults to the session end. Also the PDF's creation date. */
  issuedAt?: string;
  operator: {
    name: string;
    /** Printed as given, e.g. "www.dynamo-charging.example". */
    website: string;
    address?: ReceiptAddress;
    vatNumber?: string;
  };
  location: {
    name: string;
    address: ReceiptAddress;
    /** IANA time zone of the location (OCPI Location.time_zone), e.g. "Europe/Sofia". */
    timeZone: string;
  };
  evse: {
    /** The EVSE ID as printed on the charger (eMI3), e.g. "NL*DYN*E000123*1". */
    evseId: string;
    /** The connector id at the EVSE, e.g. "1". */
    connectorId: string;
    /** What the connector is, e.g. "CCS (Combo 2), 150 kW"; optional. */
    connectorDescription?: string;
  };
  session: {
    /** Session start, ISO UTC, e.g. "2025-03-14T16:05:00Z". */
    startUtc: string;
    /** Session end, ISO UTC. The printed duration is end − start. */
    endUtc: string;
    /** Total energy delivered, in kWh. */
    energyKwh: ReceiptDecimal;
  };
  /** ISO 4217 code; amounts are printed with the currency's minor units. */
  currency: string;
  lines: ReceiptLine[];
  totals: ReceiptTotals;
  /** The VAT rate in percent ("21"), printed next to the VAT amount when given. */
  vatRatePercent?: ReceiptDecimal;
  payment: ReceiptPayment;
}
