/**
 * Batch diagnose: every organization of a file, a few at a time, each
 * report saved, one summary table at the end. A failing or broken
 * organization never stops the others; only Ctrl-C does.
 */
import { join, resolve } from 'node:path';
import { createRedactor } from '../../bundle/redact.js';
import { assertTestKey } from '../../stripe/client.js';
import { describeError, EXIT, InterruptedError, QuickstartError } from '../../errors.js';
import { makeParents, writeFileAtomic } from '../../io/atomic-file.js';
import type { Context } from '../../io/context.js';
import type { Report } from '../../report/model.js';
import { renderJson } from '../../report/json.js';
import { renderMarkdown } from '../../report/markdown.js';
import type { BatchEntry, OrgCredentials } from './batch-input.js';
import { diagnoseOrganization } from './organization.js';
import type { DiagnoseSettings } from './settings.js';

export type BatchResult = 'pass' | 'fail' | 'error';

export interface BatchRow {
  line: number;
  organizationId: string;
  result: BatchResult;
  failedChecks: string[];
  topDiagnosis: string | null;
  /** For `error` rows: why the organization could not be diagnosed. */
  error: string | null;
  reportFile: string | null;
}

export interface BatchRequest {
  entries: BatchEntry[];
  credentials: Map<string, OrgCredentials>;
  settings: DiagnoseSettings;
  outDir: string;
  secrets: Iterable<string>;
  verbose: boolean;
}

/** Runs `work` over `items` with at most `limit` in flight, keeping input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      if (signal?.aborted) throw new InterruptedError();
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  const workers = Array.from({ length: Math.min(limit, items.length) }, worker);
  await Promise.all(workers);
  return results;
}

/** The diagnosis a person should read first: the first error, else the first at all. */
export function topDiagnosis(report: Report): string | null {
  const diagnoses = report.diagnoses;
  return (diagnoses.find((d) => d.severity === 'error') ?? diagnoses[0])?.id ?? null;
}

function errorRow(entry: BatchEntry, error: string): BatchRow {
  return {
    line: entry.line,
    organizationId: entry.organizationId,
    result: 'error',
    failedChecks: [],
    topDiagnosis: null,
    error,
    reportFile: null,
  };
}

async function saveReport(
  report: Report,
  outDir: string,
  redact: (text: string) => string,
): Promise<string> {
  const base = join(outDir, report.organizationId ?? 'organization');
  await writeFileAtomic(`${base}.json`, redact(renderJson(report)));
  await writeFileAtomic(`${base}.md`, redact(renderMarkdown(report)));
  return `${base}.json`;
}

function credentialsFor(
  entry: BatchEntry,
  request: BatchRequest,
): { token: string; key: string; account: string | undefined } | string {
  const own = request.credentials.get(entry.organizationId);
  const token = own?.beaconToken ?? request.settings.token?.value;
  const key = own?.stripeKey ?? request.settings.key?.value;
  if (!token || !key) {
    const missing = [!token && 'Beacon token', !key && 'Stripe key'].filter(Boolean);
    return `no ${missing.join(' or ')} for this organization`;
  }
  return {
    token,
    key,
    account: entry.stripeAccount ?? own?.stripeAccount ?? request.settings.stripeAccount,
  };
}

async function diagnoseEntry(
  entry: BatchEntry,
  request: BatchRequest,
  ctx: Context,
  redact: (text: string) => string,
): Promise<BatchRow> {
  if (entry.error) return errorRow(entry, entry.error);
  const credentials = credentialsFor(entry, request);
  if (typeof credentials === 'string') return errorRow(entry, credentials);
  try {
    assertTestKey(credentials.key);
    const { report } = await diagnoseOrganization(
      {
        organizationId: entry.organizationId,
        beaconUrl: request.settings.beaconUrl.value,
        stripeUrl: request.settings.stripeUrl.value,
        accessToken: credentials.token,
        stripeSecretKey: credentials.key,
        ...(credentials.account ? { stripeAccount: credentials.account } : {}),
        focus: {},
        recentLimit: request.settings.recentLimit,
        ...(request.verbose
          ? {
              onApiLine: (line: string) =>
                ctx.stderr.write(redact(`[${entry.organizationId}] ${line}\n`)),
            }
          : {}),
      },
      ctx,
    );
    const reportFile = await saveReport(report, request.outDir, redact);
    return {
      line: entry.line,
      organizationId: entry.organizationId,
      result: report.result,
      failedChecks: report.steps.flatMap((s) =>
        s.checks.filter((c) => c.status === 'fail').map((c) => c.id),
      ),
      topDiagnosis: topDiagnosis(report),
      error: null,
      reportFile,
    };
  } catch (error) {
    if (error instanceof InterruptedError || ctx.signal.aborted) throw error;
    const message =
      error instanceof QuickstartError ? error.message : describeError(error);
    return errorRow(entry, redact(message));
  }
}

/** Diagnoses every entry; returns the rows in file order. */
export async function runBatch(request: BatchRequest, ctx: Context): Promise<BatchRow[]> {
  await makeParents(resolve(request.outDir));
  const redact = createRedactor(request.secrets);
  return mapBounded(
    request.entries,
    request.settings.concurrency,
    (entry) => diagnoseEntry(entry, request, ctx, redact),
    ctx.signal,
  );
}

/** 1 when any organization failed or could not be diagnosed. */
export function batchExitCode(rows: readonly BatchRow[]): number {
  return rows.every((r) => r.result === 'pass') ? EXIT.ok : EXIT.checksFailed;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/** The orgs file is the user's text: its bytes must not steer the terminal. */
function cell(raw: string, width: number): string {
  const text = raw.replace(CONTROL_CHARACTERS, '?');
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** The summary table: organization, result, failed checks, top diagnosis. */
export function renderBatchTable(rows: readonly BatchRow[], outDir: string): string {
  const orgWidth = Math.min(
    40,
    Math.max(12, ...rows.map((r) => r.organizationId.length)),
  );
  const row = (org: string, result: string, failed: string, top: string) =>
    [cell(org, orgWidth), cell(result, 6), cell(failed, 36), top].join('  ');
  const header = row('ORGANIZATION', 'RESULT', 'FAILED CHECKS', 'TOP DIAGNOSIS');
  const lines = rows.map((r) => {
    const failed = r.result === 'error' ? '-' : r.failedChecks.join(', ') || '-';
    const top =
      r.result === 'error' ? `error: ${r.error ?? 'unknown'}` : (r.topDiagnosis ?? '-');
    return row(
      r.organizationId || `(line ${r.line})`,
      r.result,
      failed,
      cell(top, 200).trimEnd(),
    );
  });
  const count = (result: BatchResult) => rows.filter((r) => r.result === result).length;
  const summary =
    `${rows.length} organization(s): ${count('pass')} passed, ${count('fail')} failed, ` +
    `${count('error')} could not be diagnosed. Reports in ${outDir}`;
  return [header, ...lines, '', summary, ''].join('\n');
}
