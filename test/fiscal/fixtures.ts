// Builders for fiscal documents and QR payloads used across the fiscal tests.
import { formatQrPayload, parseQrPayload, REGION_RATES } from '../../src/fiscal/index.js';
import type { FiscalDocument } from '../../src/fiscal/index.js';

/** The AT's simplified-invoice example, character for character. */
export const AT_SIMPLIFIED_EXAMPLE =
  'A:123456789*B:999999990*C:PT*D:FS*E:N*F:20190812*G:FS CDVF/12345*H:CDF7T5HD-12345' +
  '*I1:PT*I7:0.65*I8:0.15*N:0.15*O:0.80*Q:YhGV*R:9999*S:NU;0.80';

/**
 * The AT's foreign-VAT example. The reference elides the fields around the
 * ones it shows (C, D, I1, I7, I8, N, O); they are filled with plausible values.
 */
export const AT_FOREIGN_VAT_EXAMPLE = formatQrPayload([
  ['A', '123456789'],
  ['B', 'FR12345678901'],
  ['C', 'FR'],
  ['D', 'FT'],
  ['E', 'N'],
  ['F', '20190812'],
  ['G', 'FT AB2019/0035'],
  ['H', 'CSDF7T5H-0035'],
  ['I1', 'FR'],
  ['I7', '100.00'],
  ['I8', '20.00'],
  ['N', '20.00'],
  ['O', '120.00'],
  ['Q', 'YhGV'],
  ['R', '9999'],
]);

/** A payload with its fields rewritten by `edit`. */
export function editQr(
  payload: string,
  edit: (fields: Array<[string, string]>) => Array<[string, string]>,
): string {
  return formatQrPayload(edit(parseQrPayload(payload).map((f) => [f.key, f.value])));
}

/** A payload with one field's value replaced. */
export function setQr(payload: string, key: string, value: string): string {
  return editQr(payload, (fields) => fields.map(([k, v]) => [k, k === key ? value : v]));
}

/** The QR fields a correct payload holds for the document. */
export function qrFieldsOf(doc: FiscalDocument): Array<[string, string]> {
  const rates = REGION_RATES[doc.taxRegion];
  const amounts = new Map<number, number>();
  const add = (position: number, amount: string): void => {
    amounts.set(
      position,
      (amounts.get(position) ?? 0) + Math.round(Number(amount) * 100),
    );
  };

  for (const band of doc.taxBands) {
    // In a foreign fiscal space every taxed band is written at the normal rate.
    const index = rates ? rates.indexOf(band.rate) : band.rate === 0 ? -1 : 2;
    if (index < 0) {
      add(2, band.base);
    } else {
      add(3 + index * 2, band.base);
      add(4 + index * 2, band.tax);
    }
  }

  const spaceAmounts = [...amounts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([position, cents]): [string, string] => [
      `I${position}`,
      (cents / 100).toFixed(2),
    ]);
  const buyerId =
    doc.buyer.country === 'PT'
      ? doc.buyer.taxId.replace(/^PT|[ .-]/g, '')
      : doc.buyer.taxId;

  return [
    ['A', doc.issuer.taxId],
    ['B', buyerId],
    ['C', doc.buyer.country],
    ['D', doc.type],
    ['E', doc.status],
    ['F', doc.issueDate.replaceAll('-', '')],
    ['G', doc.number],
    ['H', doc.atcud],
    ['I1', doc.taxRegion],
    ...spaceAmounts,
    ['N', doc.totals.tax],
    ['O', doc.totals.gross],
    ['Q', doc.hash],
    ['R', doc.certificateNumber],
  ];
}

/**
 * A correct mainland invoice-receipt at 23%, paid at 23:30 UTC on 1 July 2026,
 * which is already 2 July in Lisbon (summer time).
 */
export function validDocument(): FiscalDocument {
  return withQr({
    id: 'fdoc_1',
    number: 'FR 2026A/15',
    type: 'FR',
    status: 'N',
    issueDate: '2026-07-02',
    atcud: 'CSDF7T5H-15',
    series: '2026A',
    issuer: { taxId: '501964843', country: 'PT', name: 'Loja Exemplo, Lda' },
    buyer: { taxId: '502757191', country: 'PT', name: 'Cliente, SA' },
    taxRegion: 'PT',
    currency: 'EUR',
    taxBands: [{ rate: 23, base: '24.39', tax: '5.61' }],
    totals: { net: '24.39', tax: '5.61', gross: '30.00' },
    qrPayload: '',
    hash: 'YhGV',
    certificateNumber: '9999',
    stripeInvoiceId: 'in_1',
    subscriptionId: 'sub_1',
    charged: { amount: 3000, currency: 'eur', paidAt: '2026-07-01T23:30:00Z' },
  });
}

/** The document with a QR payload rebuilt from its own fields. */
export function withQr(doc: FiscalDocument): FiscalDocument {
  return { ...doc, qrPayload: formatQrPayload(qrFieldsOf(doc)) };
}

/** A copy of the valid document changed by `edit`, with a matching QR payload. */
export function documentWith(edit: (doc: FiscalDocument) => void): FiscalDocument {
  const doc = structuredClone(validDocument());
  edit(doc);

  return withQr(doc);
}

/** A copy of the valid document changed by `edit`, keeping the QR payload as it was. */
export function documentWithoutQrUpdate(
  edit: (doc: FiscalDocument) => void,
): FiscalDocument {
  const doc = structuredClone(validDocument());
  edit(doc);

  return doc;
}

/** An earlier document of the valid document's series with the given sequence and date. */
export function earlier(sequence: number, issueDate: string): FiscalDocument {
  return documentWith((doc) => {
    doc.id = `fdoc_prev_${sequence}`;
    doc.number = `FR 2026A/${sequence}`;
    doc.atcud = `CSDF7T5H-${sequence}`;
    doc.issueDate = issueDate;
  });
}
