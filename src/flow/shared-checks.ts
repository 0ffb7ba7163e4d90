/**
 * Checks that validate and diagnose make the same way: Beacon's health and
 * the local clock against the servers' `Date` headers.
 */
import type { BeaconClient } from '../beacon/client.js';
import type { ApiLog } from '../io/api-log.js';
import { fail, pass, warn, type Outcome } from './outcome.js';

/** Clock offsets beyond this make Stripe's 300 s signature tolerance unsafe. */
const SKEW_WARN_SECONDS = 60;
const SKEW_FAIL_SECONDS = 300;

/** Fails naming every Beacon service that is not up. */
export async function checkHealth(beacon: BeaconClient): Promise<Outcome> {
  const body = await beacon.getHealth();
  // A degraded gateway may answer 503 with a page of its own instead of Beacon's body.
  if (!body || typeof body.services !== 'object' || body.services === null) {
    return fail('Beacon health answered without its status body', 'platform-degraded', {
      body: typeof body === 'string' ? (body as string).slice(0, 120) : null,
    });
  }
  const down = Object.entries(body.services).filter(([, s]) => s !== 'up');
  const evidence = { ok: body.ok, services: body.services };
  if (!body.ok || down.length > 0) {
    const names = down.map(([name, s]) => `${name} ${s}`).join(', ') || 'ok is false';
    return fail(`Beacon reports ${names}`, 'platform-degraded', {
      ...evidence,
      down: down.map(([n]) => n),
    });
  }
  return pass('billing, webhooks and fiscal up', evidence);
}

/** Compares the local clock with the servers' `Date` headers seen so far. */
export function checkClockSkew(log: ApiLog): Outcome {
  const offsets = log.clockOffsets();
  const values = Object.values(offsets).filter((v): v is number => typeof v === 'number');
  const evidence = {
    beaconOffsetSeconds: offsets.beacon ?? null,
    stripeOffsetSeconds: offsets.stripe ?? null,
    toleranceSeconds: SKEW_FAIL_SECONDS,
  };
  if (values.length === 0)
    return warn('No server Date header was seen; skew unknown', evidence);
  const worst = Math.max(...values.map(Math.abs));
  const withSkew = { ...evidence, skewSeconds: worst };
  if (worst > SKEW_FAIL_SECONDS) {
    return fail(
      `Local clock is ${worst} s off the servers' clocks (tolerance 300 s)`,
      'clock-drift',
      withSkew,
    );
  }
  if (worst > SKEW_WARN_SECONDS) {
    return warn(`Local clock is ${worst} s off; signatures fail past 300 s`, withSkew);
  }
  return pass(`Within ${Math.max(worst, 1)} s of the servers`, withSkew);
}

/** Fails on critical pending items; non-critical ones are a warning. */
export async function checkFiscalSetup(beacon: BeaconClient): Promise<Outcome> {
  const setup = await beacon.getFiscalSetupState('test');
  const critical = setup.pending.filter((p) => p.severity === 'critical');
  const evidence = {
    ready: setup.ready,
    profileValidated: setup.profileValidated ?? null,
    seriesActive: setup.seriesActive ?? null,
    providerHealthy: setup.providerHealthy ?? null,
    pending: setup.pending.map((p) => ({
      id: p.id,
      severity: p.severity,
      message: p.message,
    })),
  };
  if (!setup.ready || critical.length > 0) {
    const items = critical.map((p) => p.message).join('; ') || 'not ready';
    return fail(`Fiscal setup not ready: ${items}`, 'fiscal-not-ready', evidence);
  }
  if (setup.pending.length > 0)
    return warn(`${setup.pending.length} non-critical item(s) pending`, evidence);
  return pass('Profile validated, series active, provider healthy', evidence);
}
