/**
 * The Portuguese fiscal-document validator. Pure: it reads the document and
 * the context it is given, returns every broken rule, and never throws on
 * malformed input (a missing or mistyped field is itself a finding).
 */
import { checkHeader } from './checks/header.js';
import { checkBuyerTaxId, checkIssuerNif } from './checks/parties.js';
import {
  checkCharged,
  checkDocumentCurrency,
  checkPaymentDay,
} from './checks/payment.js';
import {
  checkQrAgainstDocument,
  checkQrGrammar,
  checkQrRates,
  checkQrSums,
} from './checks/qr.js';
import { checkSeries } from './checks/series.js';
import { checkBands, checkTotals } from './checks/vat.js';
import { parseCompactDate, parseIsoDate } from './dates.js';
import { parseCents } from './money.js';
import { record, slot } from './read.js';
import type { Slot } from './read.js';
import type { FiscalContext, FiscalDocument, FiscalFinding } from './types.js';

/** Every rule the document breaks, in the order of the rules' concerns. */
export function validateFiscalDocument(
  doc: FiscalDocument,
  context?: FiscalContext,
): FiscalFinding[] {
  const fields = record(doc);
  const ctx = record(context);
  const issuer = record(fields['issuer']);
  const buyer = record(fields['buyer']);
  const totals = record(fields['totals']);
  const charged = ctx['charged'] !== undefined ? ctx['charged'] : fields['charged'];
  const grossSlot = slot('totals.gross', totals['gross']);
  const grossCents = parseCents(totals['gross']);
  const { findings: bandFindings, bands } = checkBands(
    fields['taxRegion'],
    fields['taxBands'],
  );

  return [
    ...checkIssuerNif(slot('issuer.taxId', issuer['taxId'])),
    ...checkBuyerTaxId(
      slot('buyer.taxId', buyer['taxId']),
      slot('buyer.country', buyer['country']),
    ),
    ...checkHeader({
      number: slot('number', fields['number']),
      type: slot('type', fields['type']),
      status: slot('status', fields['status']),
      atcud: slot('atcud', fields['atcud']),
      hash: slot('hash', fields['hash']),
      certificate: slot('certificateNumber', fields['certificateNumber']),
      issueDate: parseIsoDate(fields['issueDate']),
      grossCents,
    }),
    ...bandFindings,
    ...checkTotals(fields['totals'], bands),
    ...checkDocumentCurrency(slot('currency', fields['currency'])),
    ...checkCharged(grossSlot, grossCents, charged),
    ...checkPaymentDay(slot('issueDate', fields['issueDate']), charged),
    ...checkSeries(doc, ctx['previous']),
    ...qrFindings(fields['qrPayload'], doc, bands),
  ];
}

/**
 * Every rule a QR payload breaks. Alone, the payload is checked as the
 * document it encodes; with `doc`, it must also restate the document.
 */
export function validateQrPayload(
  payload: string,
  doc?: FiscalDocument,
): FiscalFinding[] {
  if (doc !== undefined) {
    const { bands } = checkBands(record(doc)['taxRegion'], record(doc)['taxBands']);

    return qrFindings(payload, doc, bands);
  }

  const reading = checkQrGrammar(payload);

  if (!reading.present) return reading.findings;

  return [
    ...reading.findings,
    ...checkQrSums(reading.values),
    ...checkQrRates(reading.values),
    ...qrAsDocument(reading.values),
  ];
}

function qrFindings(
  payload: unknown,
  doc: unknown,
  bands: ReturnType<typeof checkBands>['bands'],
): FiscalFinding[] {
  const reading = checkQrGrammar(payload);

  if (!reading.present) return reading.findings;

  return [
    ...reading.findings,
    ...checkQrSums(reading.values),
    ...checkQrAgainstDocument(reading.values, doc, bands),
  ];
}

// Without a document, the QR fields are held to the rules of the fields they restate.
function qrAsDocument(values: Map<string, string>): FiscalFinding[] {
  const present = (key: string): Slot | undefined => {
    const value = values.get(key);

    // Missing and empty fields were already reported by the grammar check.
    return value === undefined || value === '' ? undefined : slot(`qr.${key}`, value);
  };
  const issuer = present('A');
  const buyer = present('B');
  const country = present('C');

  return [
    ...(issuer ? checkIssuerNif(issuer) : []),
    ...(buyer && country ? checkBuyerTaxId(buyer, country) : []),
    ...checkHeader({
      number: present('G'),
      type: present('D'),
      status: present('E'),
      atcud: present('H'),
      hash: present('Q'),
      certificate: present('R'),
      issueDate: parseCompactDate(values.get('F')),
      grossCents: parseCents(values.get('O')),
    }),
  ];
}
