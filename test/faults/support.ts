/**
 * Shared by the fault suites: an in-process sandbox with transport faults, the
 * built CLI spawned against it, and gates that hold one request of a step.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle, TransportFaults } from '../../src/sandbox/types.js';
import type { Report } from '../../src/report/model.js';
import { BIN } from '../helpers/cli.js';

export interface Workspace {
  dir: string;
  env: NodeJS.ProcessEnv;
  runsDir: string;
  dispose(): Promise<void>;
}

/** A temp home for one run's state and config, and an env with no real credentials. */
export async function workspace(sandbox: SandboxHandle): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'bq-faults-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    XDG_STATE_HOME: join(dir, 'state'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    BEACON_ACCESS_TOKEN: sandbox.accessToken,
    STRIPE_SECRET_KEY: sandbox.stripeSecretKey,
  };
  for (const name of ['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'BEACON_ORGANIZATION_ID'])
    delete env[name];
  return {
    dir,
    env,
    runsDir: join(dir, 'state', 'beacon-quickstart', 'runs'),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The flags that point validate at a standalone sandbox. */
export function targetArgs(sandbox: SandboxHandle): string[] {
  return [
    '--beacon-url',
    sandbox.beaconUrl,
    '--stripe-url',
    sandbox.stripeUrl,
    '--org',
    sandbox.organizationId,
  ];
}

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the built CLI without blocking this process (the sandbox lives here). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs validate to the end and parses its JSON report. */
export async function validateJson(
  sandbox: SandboxHandle,
  ws: Workspace,
  extra: string[] = [],
): Promise<{ code: number | null; report: Report; stderr: string }> {
  const run = spawnCli(
    ['validate', '--json', '--ci', '--timeout', '60', ...targetArgs(sandbox), ...extra],
    ws.env,
  );
  const { code } = await run.exited;
  let report: Report;
  try {
    report = JSON.parse(run.stdout()) as Report;
  } catch {
    throw new Error(`no JSON report (exit ${code}): ${run.stderr().slice(0, 2000)}`);
  }
  return { code, report, stderr: run.stderr() };
}

/** Holds the first API request that matches until released; later ones pass. */
export class Gate {
  private held = false;
  private releaseHeld: (() => void) | null = null;
  private markReached: (() => void) | null = null;
  /** Resolves when the matching request arrives (and is being held). */
  readonly reached: Promise<void>;

  constructor(
    private readonly method: string,
    private readonly pathPrefix: string,
  ) {
    this.reached = new Promise((resolve) => (this.markReached = resolve));
  }

  readonly faults: TransportFaults = {
    gate: ({ method, path }) => {
      if (this.held || method !== this.method || !path.startsWith(this.pathPrefix))
        return;
      this.held = true;
      this.markReached?.();
      return new Promise<void>((resolve) => (this.releaseHeld = resolve));
    },
  };

  release(): void {
    this.releaseHeld?.();
  }
}

/** Starts a sandbox with the given faults; the caller closes it. */
export function faultySandbox(faults: TransportFaults): Promise<SandboxHandle> {
  return startSandbox({ faults, seed: 7 });
}

/** Names and parsed contents of the run journals now on disk (temp files excluded). */
export async function readJournals(
  dir: string,
): Promise<Array<{ name: string; data: unknown }>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: Array<{ name: string; data: unknown }> = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    let text: string;
    try {
      text = await readFile(join(dir, name), 'utf8');
    } catch {
      continue; // removed between readdir and read: not a corrupt file
    }
    out.push({ name, data: JSON.parse(text) as unknown });
  }
  return out;
}

/**
 * Reads every journal every few milliseconds until stopped, recording any
 * that fails to parse: atomic writes mean there must be none.
 */
export function watchJournals(dir: string): {
  stop(): Promise<string[]>;
  seen(): number;
} {
  const corrupt: string[] = [];
  let reads = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        reads += (await readJournals(dir)).length;
      } catch (error) {
        corrupt.push((error as Error).message);
      }
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  })();
  return {
    seen: () => reads,
    stop: async () => {
      running = false;
      await loop;
      return corrupt;
    },
  };
}

/** The check with this id in a report. */
export function check(report: Report, id: string) {
  for (const step of report.steps) {
    const found = step.checks.find((c) => c.id === id);
    if (found) return found;
  }
  throw new Error(`no check ${id} in the report`);
}
