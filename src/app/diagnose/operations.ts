/** Operations: Beacon's health, open critical alerts and fiscal readiness. */
import { fail, pass, warn, type Outcome } from '../../flow/outcome.js';
import { checkFiscalSetup, checkHealth } from '../../flow/shared-checks.js';
import type { DiagnoseDeps, DiagnoseState } from './types.js';

/** Runs the operations step's checks. */
export async function runOperationsChecks(
  deps: DiagnoseDeps,
  state: DiagnoseState,
): Promise<void> {
  const { checks } = deps;
  // Health is public in Beacon's API, so it is worth reading even with a refused token.
  await checks.check('diagnose.health', () => checkHealth(deps.beacon));
  if (state.beaconRejected) {
    checks.skip('diagnose.alerts', 'Beacon refused the token');
    checks.skip('diagnose.fiscal', 'Beacon refused the token');
    return;
  }
  await checks.check('diagnose.alerts', () => alerts(deps));
  await checks.check('diagnose.fiscal', () => checkFiscalSetup(deps.beacon));
}

async function alerts(deps: DiagnoseDeps): Promise<Outcome> {
  const { data } = await deps.beacon.listAlerts({ status: 'open' });
  const open = data.filter((a) => a.status === 'open');
  const p1 = open.filter((a) => a.severity === 'P1');
  const evidence = {
    open: open.map((a) => ({
      id: a.id,
      severity: a.severity,
      title: a.title,
      service: a.service ?? null,
      openedAt: a.openedAt,
    })),
  };
  if (p1.length > 0) {
    return fail(
      `${p1.length} open P1 alert(s): ${p1.map((a) => a.title).join('; ')}`,
      'critical-alert',
      evidence,
    );
  }
  if (open.length > 0) return warn(`${open.length} open alert(s), none P1`, evidence);
  return pass('No open alerts', evidence);
}
