/**
 * Rules on the document's identity: number, type, status, ATCUD, printed hash
 * and certificate. They run on a full document and, with `qr.*` field names,
 * on a QR payload read alone.
 */
import { formatIsoDate } from '../dates.js';
import type { CalendarDate } from '../dates.js';
import { asFound, fail, shown, warn } from '../finding.js';
import { formatCents } from '../money.js';
import {
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  MAX_NUMBER_LENGTH,
  parseDocumentNumber,
  sequenceOf,
  typePrefixOf,
} from '../number.js';
import type { Slot } from '../read.js';
import type { FiscalFinding } from '../types.js';

/** Slots to check; an absent slot is skipped (its absence is reported elsewhere). */
export interface HeaderSlots {
  number?: Slot;
  type?: Slot;
  status?: Slot;
  atcud?: Slot;
  hash?: Slot;
  certificate?: Slot;
  /** The document date, null when unknown or malformed. */
  issueDate: CalendarDate | null;
  /** The gross total, for the simplified-invoice ceiling. */
  grossCents: number | null;
}

// ATCUD became mandatory on this date; before it `0` stood in for the code.
const ATCUD_MANDATORY_FROM = '2023-01-01';
const ATCUD = /^[A-Z0-9]{8,}-[0-9]+$/;
const ATCUD_CODE_LENGTH = 8;
// The printed hash is four characters of a base64 signature.
const HASH = /^[A-Za-z0-9+/=]{4}$/;
const CERTIFICATE = /^[0-9]{1,4}$/;
// Simplified invoices for services are capped at this gross total (CIVA art. 40).
const SIMPLIFIED_CEILING_CENTS = 100_00;

/** Every identity rule the slots break. */
export function checkHeader(slots: HeaderSlots): FiscalFinding[] {
  return [
    ...checkNumber(slots.number),
    ...checkType(slots.type, slots.number),
    ...checkStatus(slots.status),
    ...checkAtcud(slots.atcud, slots.number, slots.issueDate),
    ...checkHash(slots.hash),
    ...checkCertificate(slots.certificate),
    ...checkSimplifiedCeiling(slots.type, slots.grossCents),
  ];
}

function checkNumber(number: Slot | undefined): FiscalFinding[] {
  if (!number) return [];

  const { field, raw } = number;
  const value = asFound(raw);

  if (typeof raw !== 'string' || raw === '') {
    return [fail('number.pattern', field, value, `${field} is missing`)];
  }
  if ([...raw].length > MAX_NUMBER_LENGTH) {
    const message = `${field} ${shown(raw)} is longer than ${MAX_NUMBER_LENGTH} characters`;

    return [fail('number.pattern', field, value, message)];
  }
  if (!parseDocumentNumber(raw)) {
    const message = `${field} ${shown(raw)} is not in the form "<type> <series>/<sequence>"`;

    return [fail('number.pattern', field, value, message)];
  }

  return [];
}

function checkType(type: Slot | undefined, number: Slot | undefined): FiscalFinding[] {
  const findings: FiscalFinding[] = [];
  const typeText =
    typeof type?.raw === 'string' && type.raw !== '' ? type.raw : undefined;
  const types = DOCUMENT_TYPES.join(', ');

  if (type && typeText === undefined) {
    findings.push(
      fail('number.type', type.field, asFound(type.raw), `${type.field} is missing`),
    );
  } else if (type && typeText !== undefined && !DOCUMENT_TYPES.includes(typeText)) {
    const message = `${type.field} ${shown(typeText)} is not a sales type (${types})`;
    findings.push(fail('number.type', type.field, typeText, message));
  }

  const prefix = typePrefixOf(number?.raw);

  if (!number || prefix === undefined) return findings;

  const numberText = String(number.raw);
  const head = `${number.field} ${shown(numberText)} starts with ${shown(prefix)}`;

  if (type && typeText !== undefined && prefix !== typeText) {
    const message = `${head} but ${type.field} is ${shown(typeText)}`;
    findings.push(fail('number.type', number.field, numberText, message));
  } else if (typeText === undefined && !DOCUMENT_TYPES.includes(prefix)) {
    const message = `${head}, which is not a sales type (${types})`;
    findings.push(fail('number.type', number.field, numberText, message));
  }

  return findings;
}

function checkStatus(status: Slot | undefined): FiscalFinding[] {
  if (!status) return [];

  const { field, raw } = status;

  if (typeof raw !== 'string' || raw === '') {
    return [fail('status.value', field, asFound(raw), `${field} is missing`)];
  }
  if (!DOCUMENT_STATUSES.includes(raw)) {
    const message =
      `${field} ${shown(raw)} is not a document status ` +
      `(${DOCUMENT_STATUSES.join(', ')})`;

    return [fail('status.value', field, raw, message)];
  }
  if (raw === 'A') {
    // A cancelled document is no longer evidence of the sale it recorded.
    const message = `${field} A marks the document as cancelled`;

    return [warn('status.value', field, raw, message)];
  }

  return [];
}

function checkAtcud(
  atcud: Slot | undefined,
  number: Slot | undefined,
  issueDate: CalendarDate | null,
): FiscalFinding[] {
  if (!atcud) return [];

  const { field, raw } = atcud;

  if (typeof raw !== 'string' || raw === '' || raw === '0') {
    return checkAtcudAbsence(field, raw, issueDate);
  }

  const findings: FiscalFinding[] = [];

  if (!ATCUD.test(raw)) {
    const message =
      `${field} ${shown(raw)} is not <validation code of 8+ uppercase ` +
      `letters or digits>-<number>`;
    findings.push(fail('atcud.pattern', field, raw, message));
  }

  const code = raw.slice(0, Math.max(raw.lastIndexOf('-'), 0));

  if (ATCUD.test(raw) && code.length !== ATCUD_CODE_LENGTH) {
    const message =
      `${field} ${shown(raw)} has a validation code of ${code.length} ` +
      `characters; the AT issues 8`;
    findings.push(warn('atcud.code-length', field, raw, message));
  }

  return [...findings, ...checkAtcudSequence(atcud, raw, number)];
}

function checkAtcudAbsence(
  field: string,
  raw: unknown,
  issueDate: CalendarDate | null,
): FiscalFinding[] {
  const date = issueDate ? formatIsoDate(issueDate) : undefined;

  // Without a readable date the document is assumed recent, where ATCUD is due.
  if (date !== undefined && date < ATCUD_MANDATORY_FROM) return [];

  const when =
    date === undefined ? 'on current documents' : `on a document dated ${date}`;
  const message =
    raw === '0'
      ? `${field} 0 is a placeholder that is no longer allowed ${when}`
      : `${field} is missing, and it is mandatory ${when}`;

  return [fail('atcud.required', field, asFound(raw), message)];
}

function checkAtcudSequence(
  atcud: Slot,
  raw: string,
  number: Slot | undefined,
): FiscalFinding[] {
  const atcudNumber = /-([0-9]+)$/.exec(raw)?.[1];
  const sequence = sequenceOf(number?.raw);

  if (atcudNumber === undefined || sequence === undefined || atcudNumber === sequence) {
    return [];
  }

  const where = `${number?.field} ${shown(String(number?.raw))}`;

  if (stripZeros(atcudNumber) === stripZeros(sequence)) {
    const message =
      `${atcud.field} ${shown(raw)} ends in ${atcudNumber}, which ` +
      `differs from the sequence of ${where} only in leading zeros`;

    return [warn('atcud.sequence-zeros', atcud.field, raw, message)];
  }

  const message =
    `${atcud.field} ${shown(raw)} ends in ${atcudNumber} but the ` +
    `sequence of ${where} is ${sequence}`;

  return [fail('atcud.sequence', atcud.field, raw, message)];
}

function checkHash(hash: Slot | undefined): FiscalFinding[] {
  if (!hash) return [];

  const { field, raw } = hash;

  if (typeof raw === 'string' && HASH.test(raw)) return [];

  const message =
    typeof raw === 'string' && raw !== ''
      ? `${field} ${shown(raw)} is not 4 characters of a base64 signature`
      : `${field} is missing`;

  return [fail('hash.format', field, asFound(raw), message)];
}

function checkCertificate(certificate: Slot | undefined): FiscalFinding[] {
  if (!certificate) return [];

  const { field, raw } = certificate;

  if (typeof raw === 'string' && CERTIFICATE.test(raw)) return [];

  const message =
    typeof raw === 'string' && raw !== ''
      ? `${field} ${shown(raw)} is not an AT certificate number of 1 to 4 digits`
      : `${field} is missing`;

  return [fail('hash.format', field, asFound(raw), message)];
}

function checkSimplifiedCeiling(
  type: Slot | undefined,
  grossCents: number | null,
): FiscalFinding[] {
  if (
    type?.raw !== 'FS' ||
    grossCents === null ||
    grossCents <= SIMPLIFIED_CEILING_CENTS
  ) {
    return [];
  }

  // Retail sales of goods may go higher, so this stays a warning.
  const message =
    `${type.field} FS is a simplified invoice, allowed for services ` +
    `only up to 100.00 EUR, but the total is ${formatCents(grossCents)}`;

  return [warn('number.type', type.field, 'FS', message)];
}

function stripZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}
