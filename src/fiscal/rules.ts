/**
 * Ids of the Portuguese fiscal-document rules the validator checks. The
 * sandbox's `fiscal-invalid` scenario breaks one of them per run, chosen by
 * these ids, so tests can walk through every rule.
 */
export const FISCAL_RULES = {
  'nif.issuer.check-digit': 'Issuer NIF has a valid check digit',
  'nif.buyer.check-digit': 'Buyer NIF (country PT) has a valid check digit',
  'nif.prefix': 'NIF starts with a known entity-type prefix (warning)',
  'number.pattern':
    'Document number is "<type> <series>/<sequence>", at most 60 characters',
  'number.type':
    'Document type is a sales type (FT, FR, FS, NC, ND) and matches the number',
  'status.value': 'Document status is N, A, S, R or F',
  'atcud.required': 'ATCUD present for documents dated 2023-01-01 or later',
  'atcud.pattern': 'ATCUD is <code of 8+ uppercase letters/digits>-<number>',
  'atcud.code-length': 'ATCUD validation code is exactly 8 characters (warning)',
  'atcud.sequence': "ATCUD number equals the document's sequence",
  'atcud.sequence-zeros':
    'ATCUD number differs from the sequence only in leading zeros (warning)',
  'qr.order': 'QR fields in the specified order',
  'qr.unknown-key': 'QR has only known keys',
  'qr.duplicate-key': 'QR has no duplicate keys',
  'qr.empty-field': 'QR optional fields are omitted, never empty',
  'qr.max-length': 'QR values within their maximum lengths',
  'qr.missing-field': 'QR mandatory fields present (A-H, I1, N, O, Q, R)',
  'qr.money-format': 'QR money has "." and two decimals, no sign or thousands separator',
  'qr.date-format': 'QR date is YYYYMMDD',
  'qr.sum-n': 'QR N equals the VAT amounts plus stamp duty',
  'qr.sum-o': 'QR O equals the bases plus not-subject plus N',
  'qr.consistency': "QR fields agree with the document's own fields",
  'vat.rate': "Each band's VAT equals base x the region's rate within one cent",
  'totals.sum': 'Net + tax = gross, and the bands add up to the totals',
  'totals.charged': 'Gross total equals what Stripe charged (in EUR)',
  'date.payment-day': 'Issue date is the payment day in Lisbon time',
  'series.consecutive': 'Consecutive documents of a series have consecutive numbers',
  'hash.format': 'Four printed hash characters and a certificate number',
} as const;

export type FiscalRuleId = keyof typeof FISCAL_RULES;

export const FISCAL_RULE_IDS = Object.keys(FISCAL_RULES) as FiscalRuleId[];
