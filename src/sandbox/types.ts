/** The public face of the embedded sandbox, used by commands and tests. */
import type { ScenarioName } from './scenarios.js';
import type { TransportFaultCounts, TransportFaults } from './transport-faults.js';

export type { TransportFaultCounts, TransportFaults } from './transport-faults.js';

export interface SandboxOptions {
  scenario?: ScenarioName;
  /** Port for the single loopback server; 0 (the default) picks a free one. */
  port?: number;
  /** For `fiscal-invalid`: which rule id to break (see src/fiscal/rules.ts). */
  fiscalRule?: string;
  /** Seeds shuffling, duplicate choice and the broken fiscal rule. */
  seed?: number;
  /** Extra organizations to seed (for batch diagnose); each gets its own token. */
  extraOrganizations?: number;
  /** Called with one line per notable sandbox action (for --verbose). */
  log?: (line: string) => void;
  /** Transport faults on the API routes (resilience tests; not a scenario or flag). */
  faults?: TransportFaults;
}

export interface SandboxCounts {
  checkouts: number;
  subscriptions: number;
  webhookEndpoints: number;
  events: number;
  fiscalDocuments: number;
}

export interface SandboxOrganization {
  organizationId: string;
  accessToken: string;
  stripeSecretKey: string;
  stripeAccountId: string;
}

export interface SandboxHandle {
  scenario: ScenarioName;
  /** e.g. http://127.0.0.1:PORT/beacon/v1 */
  beaconUrl: string;
  /** e.g. http://127.0.0.1:PORT (the Stripe SDK adds /v1) */
  stripeUrl: string;
  /** GET → { scenario, counts: SandboxCounts } */
  inspectUrl: string;
  accessToken: string;
  stripeSecretKey: string;
  organizationId: string;
  stripeAccountId: string;
  /** The default organization first, then any extra ones. */
  organizations: SandboxOrganization[];
  counts(): SandboxCounts;
  /** How many API requests met each injected transport fault (zeros without faults). */
  faultCounts(): TransportFaultCounts;
  close(): Promise<void>;
}
