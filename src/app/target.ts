/**
 * Resolves where a run talks to and with which credentials: the embedded
 * sandbox, or real (or standalone-sandbox) servers given by URL. Missing
 * credentials are a configuration error that names --sandbox; never a
 * silent switch.
 */
import { DEFAULT_BEACON_URL } from '../beacon/client.js';
import { BEACON_TOKEN, resolveSecret, STRIPE_KEY } from '../config/secrets.js';
import { ConfigError, UsageError } from '../errors.js';
import type { Context } from '../io/context.js';
import type { SandboxHandle } from '../sandbox/types.js';
import type { ScenarioName } from '../sandbox/scenarios.js';
import { assertTestKey, DEFAULT_STRIPE_URL } from '../stripe/client.js';
import type { SecretStore } from '../vault/store.js';

export interface TargetRequest {
  sandbox: boolean;
  scenario?: ScenarioName;
  fiscalRule?: string;
  seed?: number;
  beaconUrl?: string;
  stripeUrl?: string;
  beaconTokenFile?: string;
  stripeKeyFile?: string;
  verbose: boolean;
}

export interface ResolvedTarget {
  kind: 'sandbox' | 'beacon';
  beaconUrl: string;
  stripeUrl: string;
  accessToken: string;
  stripeSecretKey: string;
  /** Known up front only for the sandbox. */
  organizationId: string | null;
  sandbox: SandboxHandle | null;
  close(): Promise<void>;
}

/** `--fiscal-rule` only makes sense for `fiscal-invalid`, and only with a rule it can break. */
async function checkFiscalRule(rule: string, scenario: ScenarioName | undefined) {
  const { BREAKABLE_FISCAL_RULES } = await import('../sandbox/fiscal-issuer.js');
  if (scenario !== 'fiscal-invalid') {
    throw new UsageError('--fiscal-rule needs --scenario fiscal-invalid.');
  }
  if (!(BREAKABLE_FISCAL_RULES as readonly string[]).includes(rule)) {
    throw new UsageError(`The sandbox cannot break fiscal rule "${rule}".`, {
      suggestion: `Rules it can break: ${BREAKABLE_FISCAL_RULES.join(', ')}.`,
    });
  }
}

export async function resolveTarget(
  request: TargetRequest,
  ctx: Context,
  vault: SecretStore | null,
  log: (line: string) => void,
): Promise<ResolvedTarget> {
  if (request.sandbox) {
    const { startSandbox } = await import('../sandbox/index.js');
    if (request.fiscalRule !== undefined)
      await checkFiscalRule(request.fiscalRule, request.scenario);
    const sandbox = await startSandbox({
      scenario: request.scenario ?? 'happy',
      ...(request.fiscalRule ? { fiscalRule: request.fiscalRule } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.verbose ? { log: (line: string) => log(`[sandbox] ${line}`) } : {}),
    });
    return {
      kind: 'sandbox',
      beaconUrl: sandbox.beaconUrl,
      stripeUrl: sandbox.stripeUrl,
      accessToken: sandbox.accessToken,
      stripeSecretKey: sandbox.stripeSecretKey,
      organizationId: sandbox.organizationId,
      sandbox,
      close: () => sandbox.close(),
    };
  }

  const token = await resolveSecret(
    BEACON_TOKEN,
    request.beaconTokenFile,
    ctx.env,
    vault,
    ctx.stdin,
  );
  const key = await resolveSecret(
    STRIPE_KEY,
    request.stripeKeyFile,
    ctx.env,
    vault,
    ctx.stdin,
  );
  const missing = [!token && BEACON_TOKEN.envVar, !key && STRIPE_KEY.envVar].filter(
    Boolean,
  );
  if (missing.length > 0) {
    throw new ConfigError(`Missing credentials: ${missing.join(' and ')}.`, {
      suggestion:
        `Set ${missing.join(' and ')} (or use ${BEACON_TOKEN.fileFlag} / ${STRIPE_KEY.fileFlag}), ` +
        'or run against the embedded sandbox with --sandbox.',
    });
  }
  assertTestKey(key!.value);
  return {
    kind: 'beacon',
    beaconUrl: request.beaconUrl ?? DEFAULT_BEACON_URL,
    stripeUrl: request.stripeUrl ?? DEFAULT_STRIPE_URL,
    accessToken: token!.value,
    stripeSecretKey: key!.value,
    organizationId: null,
    sandbox: null,
    close: async () => undefined,
  };
}
