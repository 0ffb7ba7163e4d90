/**
 * The answers `init` needs besides credentials: organization, plan, billing
 * cycle and tunnel. Flags, environment and config files answer first; a
 * prompt asks only for what is still missing, with a default to accept.
 */
import type { BeaconClient } from '../../beacon/client.js';
import {
  pick,
  validateBillingCycle,
  validateOrganizationId,
  validatePlan,
} from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import type { Choice, Prompter } from '../../io/prompt.js';
import { isTunnelKind, TUNNEL_KINDS, type TunnelKind } from '../../tunnel/types.js';

export interface FileDefaults {
  plan?: string;
  billingCycle?: string;
  organizationId?: string;
}

function validatorFor(check: (value: string) => string) {
  return (value: string): true | string => {
    try {
      check(value.trim());
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
}

/** The organization: given, or asked with the token's own organization as default. */
export async function chooseOrganization(
  given: string | undefined,
  tokenOrganization: string | null,
  prompter: Prompter,
): Promise<string> {
  if (given) return validateOrganizationId(given);
  const answer = await prompter.input({
    message: 'Beacon organization id (--org, BEACON_ORGANIZATION_ID)',
    ...(tokenOrganization ? { default: tokenOrganization } : {}),
    validate: validatorFor(validateOrganizationId),
  });
  return validateOrganizationId(answer);
}

interface PlanRow {
  plan: string;
  billingCycle: string;
}

async function catalogue(beacon: BeaconClient): Promise<PlanRow[]> {
  try {
    return (await beacon.listPlans()).data;
  } catch {
    // No plan list (or no access): ask for free text instead of choices.
    return [];
  }
}

/** Plan and billing cycle: given ones are kept; missing ones are chosen from Beacon's plans. */
export async function choosePlan(
  given: { plan?: string; billingCycle?: string },
  beacon: BeaconClient,
  prompter: Prompter,
): Promise<{ plan: string; billingCycle: string }> {
  const rows = given.plan && given.billingCycle ? [] : await catalogue(beacon);
  let plan = given.plan ? validatePlan(given.plan) : undefined;
  if (!plan) {
    const names = [...new Set(rows.map((r) => r.plan))];
    plan =
      names.length > 0
        ? await prompter.select({
            message: 'Plan to check out (--plan)',
            choices: names.map((value) => ({ value })),
            default: names.includes('plus') ? 'plus' : names[0],
          })
        : validatePlan(
            await prompter.input({
              message: 'Plan to check out (--plan)',
              default: 'plus',
              validate: validatorFor(validatePlan),
            }),
          );
  }
  if (given.billingCycle)
    return { plan, billingCycle: validateBillingCycle(given.billingCycle) };
  const offered = rows.filter((r) => r.plan === plan).map((r) => r.billingCycle);
  const cycles = offered.length > 0 ? offered : ['monthly', 'yearly'];
  const billingCycle = await prompter.select({
    message: 'Billing cycle (--billing-cycle)',
    choices: cycles.map((value) => ({ value })),
    default: cycles.includes('monthly') ? 'monthly' : cycles[0],
  });
  return { plan, billingCycle: validateBillingCycle(billingCycle) };
}

const TUNNEL_CHOICES: ReadonlyArray<Choice<TunnelKind>> = [
  { value: 'ngrok', name: 'ngrok', description: 'A public URL through @ngrok/ngrok' },
  {
    value: 'stripe-cli',
    name: 'stripe listen',
    description: 'The Stripe CLI forwards events (no public URL is tested)',
  },
  {
    value: 'url',
    name: 'My own URL',
    description: 'A public HTTPS URL you already have',
  },
];

/** The tunnel: given, implied (a webhook URL, or Stripe on this machine), or asked. */
export async function chooseTunnel(
  given: string | undefined,
  context: { webhookUrl?: string; stripeOnLoopback: boolean },
  prompter: Prompter,
): Promise<TunnelKind> {
  if (given !== undefined) {
    if (!isTunnelKind(given)) {
      throw new UsageError(`Unknown --tunnel "${given}".`, {
        suggestion: `Use one of: ${TUNNEL_KINDS.join(', ')}.`,
      });
    }
    return given;
  }
  if (context.webhookUrl) return 'url';
  if (context.stripeOnLoopback) return 'none';
  return prompter.select({
    message: 'How should Stripe reach this machine? (--tunnel)',
    choices: TUNNEL_CHOICES,
    default: 'ngrok',
  });
}

/** Plan, cycle and organization from flags, environment and config files. */
export function presetAnswers(
  flags: { org?: string; plan?: string; billingCycle?: string },
  env: NodeJS.ProcessEnv,
  files: FileDefaults,
): { org?: string; plan?: string; billingCycle?: string } {
  return {
    org: pick(flags.org, env.BEACON_ORGANIZATION_ID, files.organizationId),
    plan: pick(flags.plan, env.BEACON_PLAN, files.plan),
    billingCycle: pick(flags.billingCycle, env.BEACON_BILLING_CYCLE, files.billingCycle),
  };
}
