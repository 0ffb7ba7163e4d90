/**
 * `diagnose`: read-only checks of an organization's existing setup (or of
 * every organization in a file), the same report and exit codes as
 * `validate`, and optionally a redacted support bundle.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { writeBundle } from '../../bundle/bundle.js';
import { createRedactor } from '../../bundle/redact.js';
import { BEACON_TOKEN, STRIPE_KEY } from '../../config/secrets.js';
import { ConfigError } from '../../errors.js';
import type { Context } from '../../io/context.js';
import { configDir, stateDir } from '../../io/paths.js';
import { renderJson } from '../../report/json.js';
import { renderTerminal } from '../../report/terminal.js';
import { assertTestKey } from '../../stripe/client.js';
import { FileSecretStore } from '../../vault/file-store.js';
import { toolVersion } from '../../version.js';
import { credentialSecrets, readCredentialsFile, readOrgsFile } from './batch-input.js';
import { batchExitCode, renderBatchTable, runBatch } from './batch.js';
import { diagnoseOrganization } from './organization.js';
import { effectiveConfig, knownSecrets } from './secrets.js';
import {
  resolveDiagnoseSettings,
  type DiagnoseOptions,
  type DiagnoseSettings,
} from './settings.js';

export type { DiagnoseOptions } from './settings.js';

/** Runs diagnose and writes its output; returns the exit code. */
export async function runDiagnose(
  options: DiagnoseOptions,
  ctx: Context,
): Promise<number> {
  const vault = new FileSecretStore(configDir(ctx.env));
  const settings = await resolveDiagnoseSettings(options, ctx, vault);
  if (options.orgsFile !== undefined) return runBatchMode(options, settings, ctx, vault);
  return runSingle(options, settings, ctx, vault);
}

function requireCredentials(settings: DiagnoseSettings): { token: string; key: string } {
  const missing = [
    !settings.token && BEACON_TOKEN.envVar,
    !settings.key && STRIPE_KEY.envVar,
  ].filter(Boolean);
  if (!settings.token || !settings.key) {
    throw new ConfigError(`Missing credentials: ${missing.join(' and ')}.`, {
      suggestion:
        `Set ${missing.join(' and ')}, or use ` +
        `${BEACON_TOKEN.fileFlag} / ${STRIPE_KEY.fileFlag}.`,
    });
  }
  assertTestKey(settings.key.value);
  return { token: settings.token.value, key: settings.key.value };
}

async function runSingle(
  options: DiagnoseOptions,
  settings: DiagnoseSettings,
  ctx: Context,
  vault: FileSecretStore,
): Promise<number> {
  const credentials = requireCredentials(settings);
  const secrets = await knownSecrets(settings, ctx.env, vault);
  const redact = createRedactor(secrets);
  const { report, log, exitCode } = await diagnoseOrganization(
    {
      organizationId: settings.organizationId!.value,
      beaconUrl: settings.beaconUrl.value,
      stripeUrl: settings.stripeUrl.value,
      accessToken: credentials.token,
      stripeSecretKey: credentials.key,
      ...(settings.stripeAccount ? { stripeAccount: settings.stripeAccount } : {}),
      focus: settings.focus,
      recentLimit: settings.recentLimit,
      ...(options.verbose
        ? { onApiLine: (line: string) => ctx.stderr.write(redact(`[api] ${line}\n`)) }
        : {}),
    },
    ctx,
  );
  if (options.bundle !== undefined) {
    const file = resolve(ctx.cwd, options.bundle);
    try {
      await writeBundle(file, {
        report,
        config: effectiveConfig(settings, vault),
        calls: log.calls,
        secrets,
        toolVersion: toolVersion(),
      });
    } catch (error) {
      throw new ConfigError(
        `Cannot write the bundle ${file}: ${(error as Error).message}`,
        {
          suggestion: 'Check that the directory exists and is writable.',
        },
      );
    }
    ctx.stderr.write(`Support bundle written to ${file} (secrets redacted)\n`);
  }
  ctx.stdout.write(
    redact(
      options.json
        ? renderJson(report)
        : renderTerminal(report, { color: ctx.colorStdout, verbose: options.verbose }),
    ),
  );
  return exitCode;
}

/** Under the state directory, so a batch never litters the working directory. */
function defaultOutDir(env: NodeJS.ProcessEnv, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return join(stateDir(env), 'diagnose', `${stamp}-${randomBytes(3).toString('hex')}`);
}

async function runBatchMode(
  options: DiagnoseOptions,
  settings: DiagnoseSettings,
  ctx: Context,
  vault: FileSecretStore,
): Promise<number> {
  const entries = await readOrgsFile(resolve(ctx.cwd, options.orgsFile!));
  const credentials = options.credentialsFile
    ? await readCredentialsFile(resolve(ctx.cwd, options.credentialsFile))
    : new Map();
  const secrets = await knownSecrets(
    settings,
    ctx.env,
    vault,
    credentialSecrets(credentials),
  );
  const outDir = options.outDir
    ? resolve(ctx.cwd, options.outDir)
    : defaultOutDir(ctx.env, ctx.clock.now());
  const rows = await runBatch(
    { entries, credentials, settings, outDir, secrets, verbose: options.verbose },
    ctx,
  );
  const redact = createRedactor(secrets);
  const body = options.json
    ? `${JSON.stringify({ command: 'diagnose', outDir, organizations: rows }, null, 2)}\n`
    : renderBatchTable(rows, outDir);
  ctx.stdout.write(redact(body));
  return batchExitCode(rows);
}
