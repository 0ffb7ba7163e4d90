/**
 * JUnit XML for CI test tabs: a testsuite per step, a testcase per check.
 * Built with fast-xml-parser's XMLBuilder, which escapes text and attributes;
 * characters XML 1.0 cannot carry at all are removed first.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { countChecks } from './model.js';
import type { CheckResult, Diagnosis, Report, StepResult } from './model.js';
import { diagnosesForCheck } from './summary.js';
import { evidenceLines, singleLine, stripXmlForbidden } from './text.js';

type XmlNode = Record<string, unknown>;

/** Text content: forbidden characters removed, newlines kept. */
function text(value: string): string {
  return stripXmlForbidden(value.replace(/\r\n?/g, '\n'));
}

// Parsers normalise newlines in attribute values to spaces; say so up front.
function attr(value: string): string {
  return singleLine(stripXmlForbidden(value));
}

function seconds(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  return (safe / 1000).toFixed(3);
}

function failureBody(check: CheckResult, diagnoses: Diagnosis[]): string {
  const lines = [check.message];
  for (const d of diagnoses) {
    lines.push(`Action (${d.id}): ${d.action}`);
    if (d.command) lines.push(`Run: ${d.command}`);
  }
  const evidence = evidenceLines(check.evidence);
  if (evidence.length > 0) lines.push('Evidence:', ...evidence);
  return text(lines.join('\n'));
}

function testcase(report: Report, step: StepResult, check: CheckResult): XmlNode {
  const node: XmlNode = {
    '@_name': attr(`${check.id}: ${check.title}`),
    '@_classname': `beacon-quickstart.${step.id}`,
    '@_time': seconds(check.durationMs),
  };

  if (check.status === 'fail') {
    const diagnoses = diagnosesForCheck(report, check.id);
    const first = diagnoses[0];
    node.failure = {
      '@_message': attr(first ? first.diagnosis : check.message),
      '@_type': first ? attr(first.id) : 'check-failed',
      '#text': failureBody(check, diagnoses),
    };
  } else if (check.status === 'skip') {
    node.skipped = { '@_message': attr(check.message) };
  } else if (check.status === 'warn') {
    node['system-out'] = { '#text': text(check.message) };
  }
  return node;
}

function testsuite(report: Report, step: StepResult): XmlNode {
  const count = (status: CheckResult['status']) =>
    step.checks.filter((c) => c.status === status).length;
  return {
    '@_name': step.id,
    '@_tests': step.checks.length,
    '@_failures': count('fail'),
    '@_errors': 0,
    '@_skipped': count('skip'),
    '@_time': seconds(step.durationMs),
    testcase: step.checks.map((check) => testcase(report, step, check)),
  };
}

/** Renders the report as a JUnit XML document whose counts match countChecks. */
export function renderJUnit(report: Report): string {
  const counts = countChecks(report);
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': attr(`${report.tool.name} ${report.command} (${report.target})`),
      '@_tests': counts.total,
      '@_failures': counts.fail,
      '@_errors': 0,
      '@_skipped': counts.skip,
      '@_time': seconds(report.durationMs),
      testsuite: report.steps.map((step) => testsuite(report, step)),
    },
  };

  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    format: true,
    indentBy: '  ',
    processEntities: true,
    suppressEmptyNode: true,
    // Otherwise an attribute whose value is "true" is written bare, which is not XML.
    suppressBooleanAttributes: false,
  });
  const xml = builder.build(document) as string;
  return xml.endsWith('\n') ? xml : `${xml}\n`;
}
