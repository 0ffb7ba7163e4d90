/** Checks that a configured webhook signing secret has the `whsec_` form. */
import { ConfigError } from '../errors.js';

/**
 * Returns the secret with surrounding whitespace removed (files end in a
 * newline); refuses API keys and anything that is not a signing secret.
 */
export function normalizeSigningSecret(value: string, source: string): string {
  const trimmed = value.trim();
  if (/^(sk|rk|pk)_(test|live)_/.test(trimmed)) {
    throw new ConfigError(
      `The webhook signing secret from ${source} is a Stripe API key.`,
      {
        suggestion:
          "Use the endpoint's signing secret (whsec_…), shown once when the endpoint is created " +
          'or with `stripe listen --print-secret`; never an sk_/rk_/pk_ key.',
      },
    );
  }
  if (!trimmed.startsWith('whsec_')) {
    throw new ConfigError(
      `The webhook signing secret from ${source} does not start with whsec_.`,
      {
        suggestion: "Give the endpoint's signing secret, of the form whsec_….",
      },
    );
  }
  if (/\s/.test(trimmed)) {
    throw new ConfigError(
      `The webhook signing secret from ${source} contains whitespace.`,
      {
        suggestion: 'Copy the whsec_… secret again, without spaces or line breaks.',
      },
    );
  }
  return trimmed;
}
