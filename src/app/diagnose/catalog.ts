/**
 * The stable ids and titles of diagnose's checks, grouped under the same
 * step ids as the quickstart so every renderer shows them the same way.
 * Reports, the diagnosis table and docs refer to these ids: never rename one.
 */
import type { StepDefinition } from '../../flow/catalog.js';

export const DIAGNOSE_STEPS: ReadonlyArray<StepDefinition> = [
  {
    id: 'connect',
    title: 'Connection',
    checks: [
      {
        id: 'diagnose.token',
        title: 'Beacon token reads this organization, in test mode',
      },
      {
        id: 'diagnose.connection',
        title: 'Connected account can charge, nothing due',
      },
    ],
  },
  {
    id: 'webhooks',
    title: 'Webhooks',
    checks: [
      { id: 'diagnose.intake', title: "Beacon's intake endpoints present and enabled" },
      { id: 'diagnose.endpoints', title: 'No leftover endpoints; room under the cap' },
      { id: 'diagnose.deliveries', title: 'No events with failed deliveries' },
      { id: 'diagnose.clock-skew', title: 'Local clock agrees with the servers' },
    ],
  },
  {
    id: 'checkout',
    title: 'Recent checkouts',
    checks: [{ id: 'diagnose.recent-checkouts', title: 'Recent checkout sessions read' }],
  },
  {
    id: 'confirm',
    title: 'Confirmations',
    checks: [{ id: 'diagnose.checkouts', title: 'Paid checkouts confirmed in Beacon' }],
  },
  {
    id: 'operations',
    title: 'Operations',
    checks: [
      { id: 'diagnose.health', title: 'Beacon services up' },
      { id: 'diagnose.alerts', title: 'No open critical alerts' },
      { id: 'diagnose.fiscal', title: 'Fiscal setup ready' },
    ],
  },
];

export const DIAGNOSE_CHECK_IDS: readonly string[] = DIAGNOSE_STEPS.flatMap((s) =>
  s.checks.map((c) => c.id),
);
