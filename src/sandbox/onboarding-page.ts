/** The Connect onboarding page: one button that finishes the account's requirements. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { BeaconState } from './beacon/state.js';
import type { SandboxClock } from './clock.js';
import { escapeHtml, readBody, sendPage, sendRedirect } from './http.js';
import type { StripeEmulator } from './stripe/emulator.js';

export interface OnboardingPageDeps {
  stripe: StripeEmulator;
  beacon: BeaconState;
  clock: SandboxClock;
  headers: () => Record<string, string>;
  log: (line: string) => void;
}

/** Serves /connect/onboarding/<acct>?link=… (GET the page, POST to finish). */
export async function handleOnboardingPage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: OnboardingPageDeps,
): Promise<void> {
  const accountId = url.pathname.split('/')[3] ?? '';
  const linkId = url.searchParams.get('link') ?? '';
  const link = deps.beacon.onboardingLinks.get(linkId);
  const ledger = deps.stripe.store.ledger(accountId);
  if (!link || link.accountId !== accountId || !ledger) {
    return sendPage(res, 404, 'Not found', '<p>No such onboarding link.</p>', deps);
  }
  if (link.expiresAtMs < deps.clock.nowMs()) {
    return sendPage(
      res,
      410,
      'Link expired',
      '<p>Start onboarding again from Beacon.</p>',
      deps,
    );
  }
  if (req.method === 'POST') {
    await readBody(req);
    deps.stripe.completeOnboarding(ledger);
    const org = deps.beacon.orgForAccount(accountId);
    if (org) org.connected = true;
    deps.beacon.onboardingLinks.delete(linkId);
    deps.log(`onboarding: ${accountId} completed`);
    return sendRedirect(res, link.returnUrl, deps.headers());
  }
  const action = `/connect/onboarding/${escapeHtml(accountId)}?link=${escapeHtml(linkId)}`;
  const body = `
<p>Account ${escapeHtml(accountId)} needs: business details, a bank account, terms of service.</p>
<form method="post" action="${action}">
  <button type="submit" data-testid="complete-onboarding">Submit details</button>
</form>`;
  sendPage(res, 200, 'Sandbox onboarding', body, deps);
}
