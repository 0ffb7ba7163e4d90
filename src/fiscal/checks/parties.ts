/**
 * Tax numbers of the issuer and the buyer. The issuer is always Portuguese;
 * a buyer's number is checked as a NIF only when the buyer's country is PT.
 */
import { asFound, fail, shown, warn } from '../finding.js';
import { checkNif, compactNif, FINAL_CONSUMER_NIF, nifPrefixKnown } from '../nif.js';
import type { Slot } from '../read.js';
import type { FiscalRuleId } from '../rules.js';
import type { FiscalFinding } from '../types.js';

// Foreign tax ids have no common format; the QR code's B field caps them at this.
const MAX_FOREIGN_TAX_ID_LENGTH = 30;

/** NIF rules for the issuer's tax number. */
export function checkIssuerNif(taxId: Slot): FiscalFinding[] {
  const findings = checkPortugueseNif(taxId, 'nif.issuer.check-digit');

  if (typeof taxId.raw === 'string' && compactNif(taxId.raw) === FINAL_CONSUMER_NIF) {
    const message =
      `${taxId.field} ${FINAL_CONSUMER_NIF} is the final-consumer NIF, ` +
      `which no issuer can hold`;
    findings.push(fail('nif.issuer.check-digit', taxId.field, taxId.raw, message));
  }

  return findings;
}

/** NIF rules for the buyer: a NIF for a PT buyer, a bounded id for a foreign one. */
export function checkBuyerTaxId(taxId: Slot, country: Slot): FiscalFinding[] {
  const rule = 'nif.buyer.check-digit';

  if (typeof country.raw !== 'string' || country.raw.trim() === '') {
    const message = `${country.field} is missing, so ${taxId.field} cannot be checked`;

    return [fail(rule, country.field, asFound(country.raw), message)];
  }
  if (country.raw.trim().toUpperCase() === 'PT') return checkPortugueseNif(taxId, rule);

  if (typeof taxId.raw !== 'string' || taxId.raw.trim() === '') {
    return [fail(rule, taxId.field, asFound(taxId.raw), `${taxId.field} is missing`)];
  }
  if ([...taxId.raw].length > MAX_FOREIGN_TAX_ID_LENGTH) {
    const message =
      `${taxId.field} ${shown(taxId.raw)} is longer than the ` +
      `${MAX_FOREIGN_TAX_ID_LENGTH} characters a foreign tax id may have`;

    return [fail(rule, taxId.field, taxId.raw, message)];
  }

  return [];
}

function checkPortugueseNif(taxId: Slot, rule: FiscalRuleId): FiscalFinding[] {
  const { field, raw } = taxId;

  if (typeof raw !== 'string' || raw.trim() === '') {
    return [fail(rule, field, asFound(raw), `${field} is missing`)];
  }

  const check = checkNif(raw);
  const findings: FiscalFinding[] = [];
  const reason = {
    missing: 'has no digits',
    length:
      `has ${[...check.compact].length} characters once PT and separators are ` +
      `removed, not 9`,
    format: 'is not 9 digits',
    'leading-zero': 'starts with 0, which no NIF does',
    'check-digit':
      check.expectedCheckDigit === undefined
        ? 'fails the NIF check digit'
        : `fails the NIF check digit (expected ${check.expectedCheckDigit})`,
  };

  if (check.problem !== null) {
    findings.push(
      fail(rule, field, raw, `${field} ${shown(raw)} ${reason[check.problem]}`),
    );
  }

  // The entity type is readable from any 9 digits, whatever their check digit.
  if (/^[1-9][0-9]{8}$/.test(check.compact) && !nifPrefixKnown(check.compact)) {
    const message =
      `${field} ${shown(raw)} starts with ` +
      `${check.compact.slice(0, 2)}, not a known NIF entity-type prefix`;
    findings.push(warn('nif.prefix', field, raw, message));
  }

  return findings;
}
