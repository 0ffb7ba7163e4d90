/**
 * Public API of the Portuguese fiscal-document validator.
 */
export { validateFiscalDocument, validateQrPayload } from './validate.js';
export { summarizeFindings } from './summary.js';
export {
  formatQrPayload,
  parseQrPayload,
  qrKeyRank,
  QR_KEY_ORDER,
  QR_MANDATORY_KEYS,
  QR_MAX_LENGTHS,
  QR_MONEY_KEYS,
  QR_SPACE_KEYS,
} from './qr.js';
export type { QrField } from './qr.js';
export {
  checkNif,
  compactNif,
  FINAL_CONSUMER_NIF,
  isValidNif,
  nifPrefixKnown,
} from './nif.js';
export type { NifCheck, NifProblem } from './nif.js';
export { formatCents, parseCents } from './money.js';
export { lisbonDay } from './dates.js';
export { DOCUMENT_STATUSES, DOCUMENT_TYPES, parseDocumentNumber } from './number.js';
export type { DocumentNumber } from './number.js';
export { REGION_RATES } from './checks/vat.js';
export { FISCAL_RULE_IDS, FISCAL_RULES } from './rules.js';
export type { FiscalRuleId } from './rules.js';
export type {
  ChargedAmount,
  FiscalContext,
  FiscalDocument,
  FiscalFinding,
  FindingSeverity,
} from './types.js';
