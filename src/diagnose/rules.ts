/**
 * The diagnosis table: data, not conditionals. A rule fires when a check
 * whose id matches ends in one of the statuses with one of the reason codes
 * its outcome carries in `evidence.reason`. The quickstart's own
 * troubleshooting rows come first.
 */
import type { CheckStatus, Severity } from '../report/model.js';
import { allTunnelFailures } from '../tunnel/errors.js';

export interface Trigger {
  /** A check id, or a step prefix ending in `.*`. */
  check: string;
  reasons: string[];
  statuses?: CheckStatus[];
}

export interface DiagnosisRule {
  id: string;
  severity: Severity;
  symptom: string;
  diagnosis: string;
  action: string;
  command?: string;
  triggers: Trigger[];
}

const FAIL: CheckStatus[] = ['fail'];

/** One tunnel-failed row per way a tunnel can fail to open, each with its own action. */
const TUNNEL_OPEN_RULES: DiagnosisRule[] = allTunnelFailures().map((kind) => ({
  id: 'tunnel-failed',
  severity: 'error',
  symptom: 'The tunnel for webhook deliveries did not open.',
  diagnosis: kind.meaning,
  action: kind.action,
  ...(kind.command ? { command: kind.command } : {}),
  triggers: [{ check: 'webhooks.public-url', reasons: [kind.reason] }],
}));

export const DIAGNOSIS_RULES: DiagnosisRule[] = [
  {
    id: 'missing-confirmation',
    severity: 'error',
    symptom:
      'Checkout is complete in Stripe, but Beacon still shows the subscription unconfirmed.',
    diagnosis:
      'The confirm step was never called (or never took effect) after the return.',
    action:
      'After the checkout return, call POST /v1/billing/subscriptions/{id}/confirm, then check ' +
      'that the related events were processed.',
    triggers: [
      { check: 'confirm.subscription', reasons: ['not-confirmed'] },
      { check: 'operations.dashboard-state', reasons: ['not-confirmed'] },
      { check: 'diagnose.checkouts', reasons: ['not-confirmed'] },
    ],
  },
  {
    id: 'invalid-signature',
    severity: 'error',
    symptom: 'Webhook deliveries were rejected: the signature does not match.',
    diagnosis:
      "The secret in use is not the endpoint's current signing secret (wrong, rotated, or the " +
      "Stripe CLI's), or the body was altered before verification.",
    action:
      "Re-read the endpoint's whsec_ secret into the vault (rotate it if unsure) and verify on " +
      'the raw request bytes, before any JSON parsing.',
    triggers: [
      { check: 'confirm.events-received', reasons: ['invalid-signature'] },
      { check: 'webhooks.signature', reasons: ['signature-self-test'] },
      { check: 'webhooks.round-trip', reasons: ['body-altered'] },
    ],
  },
  {
    id: 'clock-drift',
    severity: 'error',
    symptom:
      'Webhook deliveries were rejected: the signature timestamp is outside the tolerance.',
    diagnosis: "This machine's clock differs from the servers' by more than 300 seconds.",
    action: 'Synchronise the clock (NTP), then run again.',
    command: 'timedatectl set-ntp true',
    triggers: [
      { check: 'confirm.events-received', reasons: ['clock-drift'] },
      { check: 'webhooks.clock-skew', reasons: ['clock-drift'] },
    ],
  },
  {
    id: 'duplicate-operation',
    severity: 'info',
    symptom: 'Beacon answered 409 to checkout creation.',
    diagnosis: 'The same logical operation was already applied or still in flight.',
    action:
      'Handled: the first result was reused under the same Idempotency-Key and nothing was ' +
      're-submitted. Integrations should do the same.',
    triggers: [
      { check: 'checkout.created', reasons: ['duplicate-operation'], statuses: ['pass'] },
    ],
  },
  {
    id: 'duplicate-operation',
    severity: 'error',
    symptom: 'Beacon kept answering 409 to checkout creation.',
    diagnosis: 'The operation is still in flight or was applied under this key.',
    action:
      'Wait, then fetch the first result under the same key; do not submit a new checkout.',
    triggers: [{ check: 'checkout.created', reasons: ['duplicate-operation'] }],
  },
  {
    id: 'idempotency-key-reuse',
    severity: 'error',
    symptom: 'The same Idempotency-Key was sent with a different body.',
    diagnosis: 'A key was reused for another logical operation.',
    action:
      'Generate one new key per logical operation (e.g. chk_<operation id>) and keep it for retries only.',
    triggers: [{ check: 'checkout.created', reasons: ['idempotency-key-reuse'] }],
  },
  {
    id: 'duplicate-checkout',
    severity: 'error',
    symptom: 'Repeating the request with the same key created a second checkout session.',
    diagnosis: 'Beacon did not honour the Idempotency-Key.',
    action:
      'Report it to Beacon with both session ids; block double submits in the client meanwhile.',
    triggers: [{ check: 'checkout.idempotent', reasons: ['duplicate-checkout'] }],
  },
  {
    id: 'charges-disabled',
    severity: 'error',
    symptom: 'The connected account cannot accept charges.',
    diagnosis: 'Stripe onboarding requirements are incomplete.',
    action:
      'Reopen onboarding and finish the requirements named under connect.requirements ' +
      '(all of them are in the JSON report).',
    command: 'beacon-quickstart init',
    triggers: [
      {
        check: 'connect.charges-enabled',
        reasons: ['charges-disabled'],
      },
      { check: 'connect.details-submitted', reasons: ['charges-disabled'] },
      { check: 'connect.requirements', reasons: ['charges-disabled'] },
      { check: 'diagnose.connection', reasons: ['charges-disabled'] },
    ],
  },
  {
    id: 'not-connected',
    severity: 'error',
    symptom: 'Beacon shows no active Stripe connection for the organization.',
    diagnosis: 'Onboarding was not finished, or the return URL did not match.',
    action: 'Check the onboarding return URL in Beacon, then repeat Connect onboarding.',
    command: 'beacon-quickstart init',
    triggers: [
      { check: 'connect.account', reasons: ['not-connected', 'account-mismatch'] },
      { check: 'diagnose.connection', reasons: ['not-connected', 'account-mismatch'] },
    ],
  },
  {
    id: 'invalid-token',
    severity: 'error',
    symptom: 'Beacon answered 401 Unauthorized.',
    diagnosis: 'The access token is missing, invalid or expired.',
    action:
      'Issue a new Beacon token with the integration scope and set BEACON_ACCESS_TOKEN.',
    triggers: [{ check: '*', reasons: ['invalid-token'] }],
  },
  {
    id: 'missing-scope',
    severity: 'error',
    symptom: 'Beacon answered 403, or the token lacks the integration scope.',
    diagnosis:
      'The token does not carry the integration scope, or belongs to another organization.',
    action: 'Issue a token with the integration scope for this organization.',
    triggers: [{ check: '*', reasons: ['missing-scope'] }],
  },
  {
    id: 'webhook-not-delivered',
    severity: 'error',
    symptom: 'No required event arrived within the wait.',
    diagnosis:
      'The endpoint is unreachable, not subscribed to the events, or the tunnel is down.',
    action:
      "Check the endpoint's URL and enabled events in Stripe, that the tunnel is up, and Stripe's " +
      'delivery attempts for the endpoint.',
    triggers: [{ check: 'confirm.events-received', reasons: ['webhook-not-delivered'] }],
  },
  {
    id: 'events-not-processed',
    severity: 'error',
    symptom: 'Events arrived here verified, but Beacon has no record of them.',
    diagnosis: "Beacon's intake endpoint is missing or failing for this account.",
    action:
      "Register Beacon's intake URLs (/v1/webhooks/stripe and /v1/webhooks/stripe/billing) in " +
      'Stripe, then ask Beacon to reprocess the listed event ids.',
    triggers: [
      { check: 'confirm.events-processed', reasons: ['events-not-processed'] },
      { check: 'webhooks.beacon-intake', reasons: ['intake-missing'] },
    ],
  },
  {
    id: 'secret-format',
    severity: 'error',
    symptom: 'The configured signing secret is not a whsec_ secret.',
    diagnosis: "An API key, the Stripe CLI's secret, or text with whitespace was given.",
    action: "Copy the endpoint's signing secret (whsec_…) again.",
    triggers: [{ check: 'webhooks.endpoint', reasons: ['secret-format'] }],
  },
  {
    id: 'checkout-expired',
    severity: 'error',
    symptom: 'The checkout session expired before payment.',
    diagnosis: "Nobody paid within the session's lifetime.",
    action:
      'Create a new checkout under a new Idempotency-Key; never reuse the expired session.',
    triggers: [
      { check: 'checkout.redirect', reasons: ['checkout-expired'] },
      { check: 'checkout.session-open', reasons: ['checkout-expired'] },
      { check: 'confirm.session-complete', reasons: ['checkout-expired'] },
    ],
  },
  {
    id: 'stale-endpoints',
    severity: 'warning',
    symptom:
      'Endpoints of earlier runs remain, or the account is near the 16-endpoint cap.',
    diagnosis:
      'Temporary endpoints were not removed (a run was killed, or another tool leaves them).',
    action:
      'Delete the listed endpoints in Stripe; a later run removes its own orphans by itself.',
    triggers: [
      {
        check: 'webhooks.stale-endpoints',
        reasons: ['stale-endpoints'],
        statuses: ['warn', 'fail'],
      },
      {
        check: 'diagnose.endpoints',
        reasons: ['stale-endpoints'],
        statuses: ['warn', 'fail'],
      },
    ],
  },
  {
    id: 'live-mode',
    severity: 'error',
    symptom: 'A live key or live mode was found.',
    diagnosis: 'The quickstart must run against the test environment.',
    action: 'Use test-mode credentials (sk_test_… and a test-mode Beacon token).',
    triggers: [{ check: '*', reasons: ['live-mode'] }],
  },
  {
    id: 'fiscal-not-ready',
    severity: 'error',
    symptom: 'Fiscal setup reports critical pending items.',
    diagnosis:
      'Issuance is blocked until the fiscal profile, series and provider are ready.',
    action:
      "Resolve the pending items listed in the evidence in Beacon's fiscal settings.",
    triggers: [
      { check: 'operations.fiscal-setup', reasons: ['fiscal-not-ready'] },
      { check: 'diagnose.fiscal', reasons: ['fiscal-not-ready'] },
    ],
  },
  {
    id: 'fiscal-document-invalid',
    severity: 'error',
    symptom: 'The fiscal document breaks Portuguese rules.',
    diagnosis: 'See each broken rule, with its field and value, in the evidence.',
    action:
      'Report the document number and the broken rules to Beacon; do not send it to customers.',
    triggers: [
      {
        check: 'operations.fiscal-document',
        reasons: ['fiscal-document-invalid', 'fiscal-document-missing'],
      },
    ],
  },
  {
    id: 'critical-alert',
    severity: 'error',
    symptom: 'An open P1 alert in Beacon.',
    diagnosis: 'The platform flags a critical incident for this organization.',
    action: "Open the alert in Beacon's dashboard and resolve it before going live.",
    triggers: [
      { check: 'operations.alerts', reasons: ['critical-alert'] },
      { check: 'diagnose.alerts', reasons: ['critical-alert'] },
    ],
  },
  {
    id: 'platform-degraded',
    severity: 'error',
    symptom: "Beacon's health shows a service not up.",
    diagnosis:
      'A Beacon service is degraded or down; results of other checks may be affected.',
    action: "Check Beacon's status page and run again once every service is up.",
    triggers: [
      { check: 'operations.health', reasons: ['platform-degraded'] },
      { check: 'diagnose.health', reasons: ['platform-degraded'] },
    ],
  },
  {
    id: 'metrics-out-of-target',
    severity: 'warning',
    symptom: 'Webhook or fiscal error rate at or above 1%, or a growing backlog.',
    diagnosis:
      'Rising 4xx usually means signature or payload mismatches; backlog means a slow consumer.',
    action:
      "Look at the failing deliveries in Beacon's logs by event id; rotate the secret if needed.",
    triggers: [{ check: 'operations.metrics', reasons: ['metrics-out-of-target'] }],
  },
  {
    id: 'throttled',
    severity: 'warning',
    symptom: 'An API kept answering 429 after the retries.',
    diagnosis: 'Requests are being throttled.',
    action:
      'Wait a minute and run again; lower concurrency if several runs share the account.',
    triggers: [{ check: '*', reasons: ['throttled'] }],
  },
  {
    id: 'needs-public-url',
    severity: 'error',
    symptom: 'No public webhook URL.',
    diagnosis: 'Stripe can only deliver to a public HTTPS URL.',
    action:
      'Pass --webhook-url with your public HTTPS endpoint, or try the sandbox with --sandbox.',
    triggers: [
      { check: 'webhooks.public-url', reasons: ['needs-public-url', 'unsafe-url'] },
    ],
  },
  {
    id: 'tunnel-failed',
    severity: 'error',
    symptom: 'The probe did not make it through the public URL.',
    diagnosis:
      'The tunnel or proxy in front of the receiver is down, redirects, or alters requests.',
    action:
      "Restart the tunnel; make sure it forwards to the receiver's port without redirects.",
    triggers: [
      { check: 'webhooks.round-trip', reasons: ['round-trip-failed', 'redirect'] },
    ],
  },
  ...TUNNEL_OPEN_RULES,
  {
    id: 'beacon-unreachable',
    severity: 'error',
    symptom: 'Beacon could not be reached or kept failing.',
    diagnosis: 'Network trouble, a wrong --beacon-url, or a Beacon outage.',
    action: 'Check --beacon-url and the network, then run again.',
    triggers: [{ check: '*', reasons: ['beacon-unreachable', 'beacon-unavailable'] }],
  },
  {
    id: 'stripe-auth',
    severity: 'error',
    symptom: 'Stripe rejected the API key.',
    diagnosis: 'The key is wrong, revoked, or for another account.',
    action: 'Set STRIPE_SECRET_KEY to a valid test key of the connected account.',
    triggers: [{ check: '*', reasons: ['stripe-auth'] }],
  },
  {
    id: 'timeout',
    severity: 'error',
    symptom: 'The run reached --timeout while waiting.',
    diagnosis:
      'Something the run waits for (payment, return, events) did not happen in time.',
    action: 'See the waiting checks; raise --timeout if a person is paying by hand.',
    triggers: [{ check: '*', reasons: ['timeout', 'no-return'] }],
  },
  // Rows for `diagnose`, which reads an existing setup instead of running the steps.
  {
    id: 'events-not-processed',
    severity: 'error',
    symptom:
      "Beacon's intake endpoints are missing, disabled or not subscribed in Stripe.",
    diagnosis:
      'Stripe has nowhere to send the events Beacon needs, so Beacon never sees them.',
    action:
      "Register Beacon's intake URLs (/v1/webhooks/stripe and /v1/webhooks/stripe/billing) in " +
      'Stripe, enabled for the required events, then ask Beacon to reprocess what was missed.',
    triggers: [{ check: 'diagnose.intake', reasons: ['intake-missing'] }],
  },
  {
    id: 'webhook-not-delivered',
    severity: 'error',
    symptom: 'Stripe lists recent events whose deliveries failed.',
    diagnosis:
      'An endpoint answered non-2xx, timed out, redirected or was unreachable for these events.',
    action:
      "Open the listed events in Stripe's dashboard to see each endpoint's responses; fix the " +
      'endpoint, then resend the events from Stripe.',
    triggers: [
      {
        check: 'diagnose.deliveries',
        reasons: ['deliveries-failed', 'deliveries-pending'],
        statuses: ['warn', 'fail'],
      },
    ],
  },
  {
    id: 'clock-drift',
    severity: 'error',
    symptom: "This machine's clock is more than 300 seconds off the servers'.",
    diagnosis: 'Signatures checked here would fail the timestamp tolerance.',
    action: 'Synchronise the clock (NTP), then run again.',
    command: 'timedatectl set-ntp true',
    triggers: [{ check: 'diagnose.clock-skew', reasons: ['clock-drift'] }],
  },
];

export const RULE_STATUSES_DEFAULT = FAIL;
