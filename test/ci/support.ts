/** What the CI tests share: scratch directories, a JUnit reader, a crafted saved run. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { STEPS } from '../../src/flow/catalog.js';
import { SCHEMA_VERSION, worstStatus } from '../../src/report/model.js';
import type { CheckResult, Report } from '../../src/report/model.js';

/** A fresh directory, and a function that removes it. */
export async function scratch(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bq-ci-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface JUnitCase {
  name: string;
  classname: string;
  time: string;
  failure?: { message: string; type: string; text: string };
  skipped?: { message: string };
}

export interface JUnitSuite {
  name: string;
  tests: number;
  failures: number;
  skipped: number;
  cases: JUnitCase[];
}

export interface JUnitDocument {
  tests: number;
  failures: number;
  skipped: number;
  suites: JUnitSuite[];
}

type Node = Record<string, unknown>;

/** Parses JUnit XML (after checking it is well-formed) into plain objects. */
export function readJUnit(xml: string): JUnitDocument {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    textNodeName: '#text',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });
  const root = (parser.parse(xml) as Node).testsuites as Node;
  const suites = (root.testsuite as Node[]).map((suite) => ({
    name: String(suite.name),
    tests: Number(suite.tests),
    failures: Number(suite.failures),
    skipped: Number(suite.skipped),
    cases: ((suite.testcase as Node[] | undefined) ?? []).map((c) => {
      const failure = c.failure as Node | undefined;
      const skipped = c.skipped as Node | string | undefined;
      return {
        name: String(c.name),
        classname: String(c.classname),
        time: String(c.time),
        ...(failure
          ? {
              failure: {
                message: String(failure.message),
                type: String(failure.type),
                text: String(failure['#text'] ?? ''),
              },
            }
          : {}),
        ...(skipped !== undefined
          ? { skipped: { message: String((skipped as Node).message ?? '') } }
          : {}),
      };
    }),
  }));
  return {
    tests: Number(root.tests),
    failures: Number(root.failures),
    skipped: Number(root.skipped),
    suites,
  };
}

/** Every testcase of a JUnit document, in order. */
export function allCases(doc: JUnitDocument): JUnitCase[] {
  return doc.suites.flatMap((s) => s.cases);
}

/** Every check of a report, in order. */
export function allReportChecks(report: Report): CheckResult[] {
  return report.steps.flatMap((s) => s.checks);
}

/**
 * A saved run whose one failed check carries text every format must escape;
 * `overrides` replaces fields of that check.
 */
export function craftedRun(overrides: Partial<CheckResult> = {}): Report {
  let at = 0;
  const steps = STEPS.map((step) => {
    const checks: CheckResult[] = step.checks.map((c) => {
      at += 10;
      const base: CheckResult = {
        id: c.id,
        title: c.title,
        status: 'pass',
        message: 'fine',
        evidence: {},
        startedAtMs: at,
        durationMs: 8,
      };
      return c.id === 'confirm.subscription'
        ? { ...base, status: 'fail', ...overrides }
        : base;
    });
    return {
      id: step.id,
      title: step.title,
      status: worstStatus(checks.map((c) => c.status)),
      startedAtMs: checks[0]?.startedAtMs ?? 0,
      durationMs: 60,
      checks,
    };
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'beacon-quickstart', version: '0.0.0' },
    command: 'validate',
    runId: 'run_crafted',
    target: 'sandbox',
    organizationId: 'org_crafted',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    result: 'fail',
    steps,
    diagnoses: [],
    correlation: {
      idempotencyKey: null,
      checkoutSessionId: null,
      subscriptionId: null,
      events: [],
    },
    timeline: { apiCalls: [], deliveries: [] },
  };
}
