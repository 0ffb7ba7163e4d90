/** The plan check both validate and init make before anything is created. */
import type { BeaconClient } from '../beacon/client.js';
import { ConfigError } from '../errors.js';

/** Refuses an unknown plan/cycle before anything is created (when Beacon lists plans). */
export async function checkPlanExists(beacon: BeaconClient, plan: string, cycle: string) {
  let plans;
  try {
    plans = (await beacon.listPlans()).data;
  } catch {
    // No catalogue (or no access): the checkout step reports whatever Beacon says.
    return;
  }
  if (plans.some((p) => p.plan === plan && p.billingCycle === cycle)) return;
  const known = [...new Set(plans.map((p) => `${p.plan}/${p.billingCycle}`))].join(', ');
  throw new ConfigError(`Beacon has no plan "${plan}" with billing cycle "${cycle}".`, {
    suggestion: `Use --plan and --billing-cycle with one of: ${known || 'none listed'}.`,
  });
}
