/**
 * A person pays in their own browser: the checkout page is opened for them
 * (when a browser can be), its URL is printed either way, and the local
 * return page ends the wait.
 */
import type { BrowserOpener } from '../../io/browser.js';
import type { Payer, PayResult } from '../../flow/payer.js';

export class BrowserPayer implements Payer {
  // The confirm step waits for the return callback for "manual" payers.
  readonly kind = 'manual' as const;

  constructor(
    private readonly browser: BrowserOpener,
    private readonly say: (line: string) => void,
  ) {}

  async pay(checkoutUrl: string): Promise<PayResult> {
    const opened = await this.browser.open(checkoutUrl);
    this.say(
      opened
        ? 'Opened the checkout page in your browser. If it did not appear, open:'
        : 'Open this checkout page in a browser and pay with a test card:',
    );
    this.say(`  ${checkoutUrl}`);
    this.say('Waiting for the return page (Ctrl-C to stop)…');
    return {
      status: 'handed-over',
      detail: opened
        ? 'Checkout opened in the browser; waiting for the payment'
        : 'Checkout URL printed; waiting for the payment',
    };
  }
}
