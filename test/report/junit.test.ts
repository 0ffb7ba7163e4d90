import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ALL_CHECK_IDS } from '../../src/flow/catalog.js';
import { countChecks } from '../../src/report/model.js';
import type { Report } from '../../src/report/model.js';
import { renderJUnit } from '../../src/report/junit.js';
import {
  TRICKY_EVIDENCE,
  TRICKY_MESSAGE,
  failingReport,
  passingReport,
  setCheck,
} from './fixtures.js';

type Node = Record<string, unknown>;

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });
  const doc = parser.parse(xml) as { testsuites: Node & { testsuite: Node[] } };
  const cases = doc.testsuites.testsuite.flatMap(
    (s) => (s.testcase as Node[] | undefined) ?? [],
  );
  return { root: doc.testsuites, suites: doc.testsuites.testsuite, cases };
}

function caseFor(report: Report, id: string): Node {
  const found = parse(renderJUnit(report)).cases.find((c) =>
    String(c.name).startsWith(`${id}:`),
  );
  expect(found, id).toBeDefined();
  return found!;
}

describe('renderJUnit', () => {
  it('writes one testsuite per step and one testcase per check', () => {
    const { suites, cases } = parse(renderJUnit(passingReport()));
    expect(suites.map((s) => s.name)).toEqual([
      'connect',
      'webhooks',
      'checkout',
      'confirm',
      'operations',
    ]);
    expect(cases.map((c) => String(c.name).split(':')[0])).toEqual([...ALL_CHECK_IDS]);
    expect(cases[0]).toMatchObject({
      name: 'connect.token: Beacon token accepted with the integration scope',
      classname: 'beacon-quickstart.connect',
      time: '0.040',
    });
  });

  it('agrees with countChecks at the top and in every suite', () => {
    const report = failingReport();
    const counts = countChecks(report);
    const { root, suites, cases } = parse(renderJUnit(report));

    expect(root).toMatchObject({
      tests: String(counts.total),
      failures: String(counts.fail),
      skipped: String(counts.skip),
      time: (report.durationMs / 1000).toFixed(3),
    });
    expect(cases.filter((c) => 'failure' in c)).toHaveLength(counts.fail);
    expect(cases.filter((c) => 'skipped' in c)).toHaveLength(counts.skip);
    const sum = (key: string) => suites.reduce((n, s) => n + Number(s[key]), 0);
    expect(sum('tests')).toBe(counts.total);
    expect(sum('failures')).toBe(counts.fail);
    expect(sum('skipped')).toBe(counts.skip);
  });

  it('names the first diagnosis in a failure and puts the action in its text', () => {
    const failure = caseFor(failingReport(), 'confirm.subscription').failure as Node;
    expect(failure.type).toBe('missing-confirmation');
    expect(failure.message).toBe(
      "Nothing called the subscription's confirm endpoint after the return <redirect>",
    );
    const body = String(failure['#text']);
    expect(body).toContain(TRICKY_MESSAGE);
    expect(body).toContain('Call POST /v1/subscriptions/{id}/confirm');
    expect(body).toContain('beacon-quickstart diagnose --org org_123');
  });

  it('falls back to the check message and type check-failed without a diagnosis', () => {
    const report = failingReport();
    report.diagnoses = [];
    const failure = caseFor(report, 'confirm.events-processed').failure as Node;
    expect(failure).toMatchObject({
      type: 'check-failed',
      message: 'Beacon knows none of evt_1, evt_2, evt_3, evt_4',
    });
  });

  it('round-trips <, &, quotes and emoji in messages and evidence', () => {
    const body = String(
      (caseFor(failingReport(), 'confirm.subscription').failure as Node)['#text'],
    );
    expect(body).toContain(`beaconStatus: ${TRICKY_EVIDENCE.beaconStatus}`);
    expect(body).toContain(`returnUrl: ${TRICKY_EVIDENCE.returnUrl}`);
    expect(body).toContain('🚀');
  });

  it('marks skips with their reason and keeps warnings as passes with output', () => {
    const report = failingReport();
    expect(caseFor(report, 'operations.fiscal-setup').skipped).toMatchObject({
      message: 'Skipped: confirm.subscription failed',
    });
    const warn = caseFor(report, 'webhooks.clock-skew');
    expect(warn).not.toHaveProperty('failure');
    expect(String(warn['system-out'])).toContain('Skew 2.4 s');
  });

  it('removes characters XML 1.0 forbids and still parses', () => {
    const report = passingReport();
    setCheck(report, 'connect.token', {
      status: 'fail',
      message: 'bell\u0007 nul\u0000 esc\u001b vt\u000b done \ud800',
      evidence: { raw: 'a\u0001b' },
    });
    const xml = renderJUnit(report);
    // eslint-disable-next-line no-control-regex -- asserting their absence
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const failure = caseFor(report, 'connect.token').failure as Node;
    expect(failure.message).toBe('bell nul esc vt done');
    expect(String(failure['#text'])).toContain('raw: ab');
  });

  it('writes attribute values of "true" in full rather than as bare names', () => {
    const report = passingReport();
    setCheck(report, 'connect.token', { status: 'skip', message: 'true' });
    expect(renderJUnit(report)).toContain('<skipped message="true"/>');
  });
});
