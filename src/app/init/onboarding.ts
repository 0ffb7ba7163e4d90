/**
 * Onboarding, when the connected account cannot charge yet: offer a Beacon
 * onboarding link, open it, and poll Stripe with backoff until the account
 * has charges enabled and details submitted, or the person stops waiting.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import type { BeaconClient } from '../../beacon/client.js';
import { abortableSleep } from '../../beacon/retrying-fetch.js';
import type { BrowserOpener } from '../../io/browser.js';
import type { Prompter } from '../../io/prompt.js';
import type { LocalServer } from '../../webhooks/local-server.js';
import type { SkipKey } from './skip-key.js';

export type OnboardingResult = 'ready' | 'completed' | 'declined' | 'skipped' | 'timeout';

export interface OnboardingDeps {
  beacon: BeaconClient;
  stripe: Stripe;
  prompter: Prompter;
  browser: BrowserOpener;
  server: LocalServer;
  organizationId: string;
  /** The sandbox's form can be completed over HTTP, as its test card can pay. */
  sandbox: boolean;
  timeoutMs: number;
  signal: AbortSignal;
  say: (line: string) => void;
  skipKey: () => SkipKey;
  /** Poll delays; tests shorten them. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export const ONBOARDING_RETURN_PATH = '/connect/return';
export const ONBOARDING_REFRESH_PATH = '/connect/refresh';

function chargeable(account: Stripe.Account): boolean {
  return account.charges_enabled && account.details_submitted;
}

function page(text: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<title>beacon-quickstart</title></head><body><h1>beacon-quickstart</h1>' +
    `<p data-testid="onboarding-message">${text}</p></body></html>`
  );
}

function routeLandingPages(server: LocalServer): void {
  const landing = (text: string) => (_req: unknown, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page(text));
  };
  server.route(
    ONBOARDING_RETURN_PATH,
    landing('Onboarding submitted. You can go back to the terminal.'),
  );
  server.route(
    ONBOARDING_REFRESH_PATH,
    landing('This onboarding link expired. Go back to the terminal and run init again.'),
  );
}

/** Submits the sandbox's onboarding form the way its button would. */
export async function completeSandboxOnboarding(url: string): Promise<void> {
  const form = await fetch(url, { redirect: 'manual' });
  const html = await form.text();
  const action = html.match(/<form[^>]*\baction="([^"]+)"/i)?.[1];
  if (form.status !== 200 || !action) {
    throw new Error(`The sandbox onboarding page answered ${form.status}`);
  }
  const done = await fetch(new URL(action.replace(/&amp;/g, '&'), url), {
    method: 'POST',
    redirect: 'manual',
  });
  await done.body?.cancel();
}

/** Polls until the account can charge; resolves false when stopped or out of time. */
async function pollUntilChargeable(deps: OnboardingDeps): Promise<OnboardingResult> {
  const deadline = Date.now() + deps.timeoutMs;
  const skip = deps.skipKey();
  const stop = new AbortController();
  void skip.pressed.then(() => stop.abort());
  const signal = AbortSignal.any([deps.signal, stop.signal]);
  let delay = deps.firstDelayMs ?? 1_000;
  try {
    for (;;) {
      const account = await deps.stripe.accounts.retrieveCurrent();
      if (chargeable(account)) return 'completed';
      if (Date.now() + delay > deadline) return 'timeout';
      try {
        await abortableSleep(delay, signal);
      } catch (error) {
        if (deps.signal.aborted) throw error;
        return 'skipped';
      }
      delay = Math.min(Math.round(delay * 1.6), deps.maxDelayMs ?? 10_000);
    }
  } finally {
    skip.stop();
  }
}

/** Makes sure the account can charge, with the person's consent at each step. */
export async function ensureChargeable(deps: OnboardingDeps): Promise<OnboardingResult> {
  const account = await deps.stripe.accounts.retrieveCurrent();
  if (chargeable(account)) return 'ready';
  const due = account.requirements?.currently_due?.length ?? 0;
  deps.say(
    `Stripe account ${account.id} cannot accept charges yet (${due} requirement(s) due).`,
  );
  const go = await deps.prompter.confirm({
    message: 'Create a Beacon onboarding link and finish onboarding now?',
    default: true,
  });
  if (!go) return 'declined';

  routeLandingPages(deps.server);
  const link = await deps.beacon.createOnboardingLink(
    {
      organizationId: deps.organizationId,
      mode: 'test',
      returnUrl: `${deps.server.origin}${ONBOARDING_RETURN_PATH}`,
      refreshUrl: `${deps.server.origin}${ONBOARDING_REFRESH_PATH}`,
    },
    `onb_${randomBytes(12).toString('hex')}`,
  );
  const viaHttp =
    deps.sandbox &&
    (await deps.prompter.confirm({
      message: 'Submit the sandbox onboarding form for you?',
      default: true,
    }));
  if (viaHttp) {
    await completeSandboxOnboarding(link.onboardingUrl);
  } else {
    const opened = await deps.browser.open(link.onboardingUrl);
    deps.say(
      opened ? 'Opened onboarding in your browser:' : 'Open this link to onboard:',
    );
    deps.say(`  ${link.onboardingUrl}`);
    deps.say(
      'Waiting for Stripe to enable charges: press s to stop waiting, Ctrl-C to quit.',
    );
  }
  return pollUntilChargeable(deps);
}
