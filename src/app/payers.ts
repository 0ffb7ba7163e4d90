/**
 * `--complete`: who completes the hosted checkout. Nobody can pay on Stripe's
 * real page without a person, so an unattended run either skips the payment
 * (and the checks that need it) or hands the page to someone.
 */
import { UsageError, describeError } from '../errors.js';
import {
  ManualPayer,
  SandboxHttpPayer,
  type PayResult,
  type Payer,
} from '../flow/payer.js';
import type { ApiLog } from '../io/api-log.js';
import { PAYMENT_SKIPPED_REASON } from './bounded-recorder.js';

export const COMPLETE_MODES = ['auto', 'browser', 'manual', 'skip'] as const;
export type CompleteMode = (typeof COMPLETE_MODES)[number];

/** Opens a URL for a person; the `open` package by default, a fake in tests. */
export type Opener = (url: string) => Promise<unknown>;

/** Validates the `--complete` value. */
export function parseCompleteMode(value: string | undefined): CompleteMode {
  if (value === undefined) return 'auto';
  if ((COMPLETE_MODES as readonly string[]).includes(value)) return value as CompleteMode;
  throw new UsageError(
    `--complete must be one of ${COMPLETE_MODES.join(', ')}: ${value}`,
    {
      suggestion: 'In CI against real APIs, use --complete skip.',
    },
  );
}

/** Opens the default browser with the `open` package, loaded only when used. */
export const openInBrowser: Opener = async (url) => {
  const { default: open } = await import('open');
  return open(url);
};

/** Opens the checkout page in a browser; the return callback then ends the wait. */
export class BrowserPayer implements Payer {
  // A person pays, exactly as with ManualPayer: the confirm step waits for the return.
  readonly kind = 'manual' as const;

  constructor(
    private readonly opener: Opener,
    private readonly announce: (url: string) => void,
  ) {}

  async pay(checkoutUrl: string): Promise<PayResult> {
    // Printed as well, in case the browser opens on another screen or not at all.
    this.announce(checkoutUrl);
    try {
      await this.opener(checkoutUrl);
    } catch (error) {
      return {
        status: 'handed-over',
        detail:
          `Could not open a browser (${describeError(error)}); ` +
          'waiting for a person to pay on the printed page',
      };
    }
    return {
      status: 'handed-over',
      detail: 'Opened the checkout page in the browser; waiting for the payment',
    };
  }
}

/**
 * `--complete skip`. The recorder skips every check that needs a payment, so
 * this is never asked to pay; if it were, the check fails loudly instead of
 * passing without a payment.
 */
class SkippedPayment implements Payer {
  readonly kind = 'manual' as const;

  async pay(): Promise<PayResult> {
    throw new Error(`No payer: ${PAYMENT_SKIPPED_REASON}`);
  }
}

export interface PayerChoice {
  mode: CompleteMode;
  /** The checkout page is on this machine (the sandbox), so HTTP can drive it. */
  onLoopback: boolean;
  log: ApiLog;
  announce: (url: string) => void;
  opener?: Opener;
}

/** `auto` drives a loopback checkout over HTTP and hands a real one to a person. */
export function choosePayer(choice: PayerChoice): Payer {
  switch (choice.mode) {
    case 'auto':
      return choice.onLoopback
        ? new SandboxHttpPayer(choice.log)
        : new ManualPayer(choice.announce);
    case 'manual':
      return new ManualPayer(choice.announce);
    case 'browser':
      return new BrowserPayer(choice.opener ?? openInBrowser, choice.announce);
    case 'skip':
      return new SkippedPayment();
  }
}
