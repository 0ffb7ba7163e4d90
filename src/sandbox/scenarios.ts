/**
 * The sandbox's named fault scenarios. Each one reproduces a way real setups
 * fail; `expect` is what a validate run against it must end in, and the
 * end-to-end tests hold the product to it.
 */
export interface ScenarioDefinition {
  name: string;
  summary: string;
  /** 'pass' when the tool must absorb the fault; otherwise the diagnosis id. */
  expect: 'pass' | string;
}

export const SCENARIOS = [
  {
    name: 'happy',
    summary: 'Everything right; events shuffled, some delivered twice',
    expect: 'pass',
  },
  {
    name: 'charges-disabled',
    summary: 'Connected account with requirements currently due',
    expect: 'charges-disabled',
  },
  {
    name: 'not-connected',
    summary: 'Organization has no Stripe connection',
    expect: 'not-connected',
  },
  {
    name: 'invalid-token',
    summary: 'Beacon answers 401 to the access token',
    expect: 'invalid-token',
  },
  {
    name: 'missing-scope',
    summary: 'Beacon answers 403: token lacks the integration scope',
    expect: 'missing-scope',
  },
  {
    name: 'wrong-signing-secret',
    summary: 'Events signed with a secret other than the vaulted one',
    expect: 'invalid-signature',
  },
  {
    name: 'clock-drift',
    summary: 'Signatures and Date headers ten minutes off',
    expect: 'clock-drift',
  },
  {
    name: 'confirm-skipped',
    summary: 'The return lands but the subscription is never confirmed',
    expect: 'missing-confirmation',
  },
  {
    name: 'duplicate-submit',
    summary: 'First checkout creation answers 409 while in flight',
    expect: 'pass',
  },
  {
    name: 'webhook-dropped',
    summary: 'Stripe never delivers events',
    expect: 'webhook-not-delivered',
  },
  {
    name: 'intake-missing',
    summary: "Beacon's intake endpoints are not registered; no event is recorded",
    expect: 'events-not-processed',
  },
  {
    name: 'flaky-api',
    summary: '429 with Retry-After and 5xx bursts from both APIs',
    expect: 'pass',
  },
  {
    name: 'checkout-expired',
    summary: 'Every checkout session expires before payment',
    expect: 'checkout-expired',
  },
  {
    name: 'fiscal-invalid',
    summary: 'The fiscal document breaks one Portuguese rule',
    expect: 'fiscal-document-invalid',
  },
  {
    name: 'fiscal-not-ready',
    summary: 'Fiscal setup has critical pending items',
    expect: 'fiscal-not-ready',
  },
  { name: 'critical-alert', summary: 'An open P1 alert', expect: 'critical-alert' },
  {
    name: 'degraded',
    summary: 'Health reports the webhooks service down',
    expect: 'platform-degraded',
  },
] as const satisfies ReadonlyArray<ScenarioDefinition>;

export type ScenarioName = (typeof SCENARIOS)[number]['name'];

export const SCENARIO_NAMES: readonly ScenarioName[] = SCENARIOS.map((s) => s.name);

export function isScenarioName(value: string): value is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(value);
}
