import type { ReceiptData } from '../../../src/domain/receipt/receipt-data.ts';

/**
 * A guest session at a Sofia car park, run by an operator with its head office in Athens: the location's name
 * and address are Cyrillic, the operator's address Greek, so both scripts must survive the embedded font.
 * Prices: €0.39/kWh, €0.05/min while charging, €0.10/min parking after 1 hour, €1.00 per session; VAT 20%.
 */
export const guestReceipt: ReceiptData = {
  receiptNumber: 'DYN-2025-000123',
  issuedAt: '2025-03-14T18:31:07Z',
  operator: {
    name: 'Dynamo Charging',
    website: 'www.dynamo-charging.example',
    address: { street: 'Λεωφόρος Κηφισίας 44', postalCode: '151 25', city: 'Μαρούσι', country: 'Ελλάδα' },
    vatNumber: 'EL123456789',
  },
  location: {
    name: 'Паркинг „Витоша“',
    address: { street: 'бул. Витоша 89', postalCode: '1463', city: 'София', country: 'България' },
    timeZone: 'Europe/Sofia',
  },
  evse: { evseId: 'BG*DYN*E000123*1', connectorId: '1', connectorDescription: 'CCS (Combo 2), 150 kW' },
  session: { startUtc: '2025-03-14T16:05:00Z', endUtc: '2025-03-14T18:29:40Z', energyKwh: '42.1375' },
  currency: 'EUR',
  lines: [
    { dimension: 'ENERGY', quantity: '42.1375', unit: 'kWh', unitPriceExclVat: '0.39', amountExclVat: '16.433625' },
    { dimension: 'TIME', quantity: '1.75', unit: 'h', unitPriceExclVat: '3.00', amountExclVat: '5.25' },
    { dimension: 'PARKING_TIME', quantity: '0.6611', unit: 'h', unitPriceExclVat: '6.00', amountExclVat: '3.97' },
    { dimension: 'FLAT', quantity: '1', unit: 'session', unitPriceExclVat: '1.00', amountExclVat: '1.00' },
  ],
  totals: { exclVat: '26.65', vat: '5.33', inclVat: '31.98' },
  vatRatePercent: '20',
  payment: { brand: 'visa', last4: '4242', reference: 'pi_3QxYzA2eZvKYlo2C1a2b3c4d' },
};

/**
 * Everything long or unusual at once: names and a reference too long for their column, a three-word connector
 * description, a zero-decimal currency, no card brand, no VAT rate, a session over midnight and across a DST
 * change. Used to check that nothing overlaps or leaves the page.
 */
export const stressReceipt: ReceiptData = {
  receiptNumber: 'DYN-2025-10-26-00000000000000000000042',
  operator: {
    name: 'Κέντρο Φόρτισης Ηλεκτρικών Οχημάτων Αττικής Ανώνυμη Εταιρεία & Συνεργάτες',
    website: 'https://www.a-really-long-operator-domain-name-for-charging.example/receipts',
    address: {
      street: 'Улица Генерал Михаил Скобелев и Княз Александър Дондуков-Корсаков 1234',
      postalCode: '1000',
      city: 'София',
      state: 'Столична община',
      country: 'България',
    },
  },
  location: {
    name: 'Многоетажен паркинг „Национален дворец на културата“ — ниво −2, зона Б (Ελληνικά/Русский)',
    address: { street: 'пл. България 1', city: 'София', country: 'България' },
    timeZone: 'Asia/Tokyo',
  },
  evse: {
    evseId: 'JP*DYN*E00000000000000000000000000123456789*12',
    connectorId: '12',
    connectorDescription: 'CHAdeMO and CCS (Combo 2) shared cable, 350 kW, liquid-cooled',
  },
  session: { startUtc: '2025-10-25T22:50:00Z', endUtc: '2025-10-27T01:05:00Z', energyKwh: '1234.5' },
  currency: 'JPY',
  lines: [
    { dimension: 'ENERGY', quantity: '1234.5', unit: 'kWh', unitPriceExclVat: '55.5', amountExclVat: '68514.75' },
    { dimension: 'TIME', quantity: '26.25', unit: 'h', amountExclVat: '1575' },
    { dimension: 'PARKING_TIME', quantity: '0', unit: 'h', unitPriceExclVat: '600', amountExclVat: '0' },
    { dimension: 'FLAT', quantity: '1', unit: 'session', unitPriceExclVat: '100000', amountExclVat: '100000' },
  ],
  totals: { exclVat: '170089.75', vat: '17008.975', inclVat: '187098.725' },
  payment: {
    last4: '0005',
    reference: 'ch_3QxYzA2eZvKYlo2C1a2b3c4dEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz',
  },
};
