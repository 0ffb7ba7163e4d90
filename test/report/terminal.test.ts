import { describe, expect, it } from 'vitest';
import { ALL_CHECK_IDS, checkTitle } from '../../src/flow/catalog.js';
import { countChecks } from '../../src/report/model.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { failingReport, passingReport } from './fixtures.js';

// Any CSI or OSC escape sequence.
// eslint-disable-next-line no-control-regex -- detecting escapes is the point
const ANSI = /\u001b[[\]]/;

function lineIndex(lines: string[], needle: string, from = 0): number {
  const index = lines.findIndex((line, i) => i >= from && line.includes(needle));
  expect(index, `a line containing ${needle}`).toBeGreaterThanOrEqual(0);
  return index;
}

describe('renderTerminal', () => {
  it('starts with the tool, target, scenario and organization', () => {
    const first = renderTerminal(failingReport(), { color: false }).split('\n')[0];
    expect(first).toContain('beacon-quickstart 0.1.0');
    expect(first).toContain('sandbox');
    expect(first).toContain('confirm-skipped');
    expect(first).toContain('org_123');
  });

  it('lists every check with the symbol of its status', () => {
    const text = renderTerminal(failingReport(), { color: false, width: 200 });
    for (const id of ALL_CHECK_IDS) expect(text).toContain(checkTitle(id));
    expect(text).toMatch(/✖ Beacon confirmed an active subscription/);
    expect(text).toMatch(/▲ Local clock agrees with the servers/);
    expect(text).toMatch(/○ Fiscal setup ready/);
    expect(text).toMatch(/✔ Beacon services up/);
  });

  it('ends a passing run with the all-passed summary and its duration', () => {
    const text = renderTerminal(passingReport(), { color: false });
    expect(text).toMatch(/^✔ All 29 checks passed · 1\.5 s$/m);
  });

  it('counts passed, warned, failed and skipped checks in the summary line', () => {
    const report = failingReport();
    const counts = countChecks(report);
    const text = renderTerminal(report, { color: false });
    const expected =
      `✖ ${counts.pass} of ${counts.total} checks passed, ${counts.warn} warnings, ` +
      `${counts.fail} failed, ${counts.skip} skipped · 1.5 s`;
    expect(text.split('\n')).toContain(expected);
    expect(counts).toMatchObject({ pass: 21, warn: 2, fail: 2, skip: 4, total: 29 });
  });

  it('prints a diagnosis, with its action and command, under the check it names', () => {
    const lines = renderTerminal(failingReport(), { color: false, width: 200 }).split(
      '\n',
    );
    const check = lineIndex(lines, '✖ Beacon confirmed an active subscription');
    const next = lineIndex(lines, 'Required events arrived, verified', check);
    const diagnosis = lineIndex(lines, 'missing-confirmation', check);
    const action = lineIndex(lines, 'Call POST /v1/subscriptions/{id}/confirm', check);
    const command = lineIndex(lines, 'beacon-quickstart diagnose --org org_123', check);

    expect(diagnosis).toBeLessThan(next);
    expect(action).toBeLessThan(next);
    expect(command).toBeLessThan(next);
    expect(lines[action]).toMatch(/^\s+Action\s+Call POST/);
    expect(lines[command]).toMatch(/^\s+Run\s+beacon-quickstart/);
    expect(lines.find((l) => l.includes('Nothing called the'))).toMatch(/Likely cause/);
  });

  it('prints diagnoses no failed check shows in a closing Diagnoses section', () => {
    const lines = renderTerminal(failingReport(), { color: false }).split('\n');
    const section = lines.indexOf('Diagnoses');
    const summary = lineIndex(lines, 'checks passed');
    expect(section).toBeGreaterThan(lineIndex(lines, 'No open critical alerts'));
    expect(lineIndex(lines, 'stale-endpoints', section)).toBeLessThan(summary);
    expect(lineIndex(lines, 'duplicate-operation', section)).toBeLessThan(summary);
  });

  it('writes no ANSI codes when colour is off, and some when it is on', () => {
    const report = failingReport();
    expect(renderTerminal(report, { color: false, verbose: true })).not.toMatch(ANSI);
    expect(renderTerminal(report, { color: true })).toMatch(ANSI);
  });

  it('shows evidence only when verbose', () => {
    const report = failingReport();
    expect(renderTerminal(report, { color: false })).not.toContain('beaconStatus:');
    const verbose = renderTerminal(report, { color: false, verbose: true });
    expect(verbose).toContain('beaconStatus: incomplete <pending> & "waiting"');
    expect(verbose).toContain('attempts: 3');
  });

  it('ends with the correlation ids and the event counts', () => {
    const text = renderTerminal(failingReport(), { color: false });
    expect(text).toMatch(/^Idempotency key\s+chk_op_7f3a$/m);
    expect(text).toMatch(/^Session\s+cs_test_a1$/m);
    expect(text).toMatch(/^Subscription\s+sub_1Q$/m);
    expect(text).toMatch(/^Events\s+4 received, 4 verified, 0 processed by Beacon$/m);
  });

  it('strips escape sequences that arrive inside messages', () => {
    const report = passingReport();
    const check = report.steps[0]!.checks[0]!;
    check.message = 'ok \u001b]8;;https://evil.test\u0007link\u001b[2J';
    const text = renderTerminal(report, { color: false });
    expect(text).not.toMatch(ANSI);
    expect(text).not.toContain('\u0007');
  });

  it('keeps wrapped lines within the width it is given', () => {
    const text = renderTerminal(failingReport(), { color: false, width: 60 });
    const diagnosisLines = text.split('\n').filter((l) => /^\s{6}\S/.test(l));
    expect(diagnosisLines.length).toBeGreaterThan(0);
    for (const line of diagnosisLines)
      expect(Array.from(line).length).toBeLessThanOrEqual(60);
  });
});
