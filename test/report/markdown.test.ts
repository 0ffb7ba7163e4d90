import { describe, expect, it } from 'vitest';
import { ALL_CHECK_IDS } from '../../src/flow/catalog.js';
import { renderMarkdown, SUMMARY_LIMIT_BYTES } from '../../src/report/markdown.js';
import { failingReport, passingReport, setCheck } from './fixtures.js';

/** Splits a GFM table row into cells, honouring `\|` escapes. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

function tableRows(markdown: string): string[] {
  return markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
}

describe('renderMarkdown', () => {
  it('heads the summary with the result and the counts', () => {
    expect(renderMarkdown(passingReport())).toMatch(
      /^## ✅ Quickstart passed\n\nAll 29 checks/,
    );
    const failing = renderMarkdown(failingReport());
    expect(failing.startsWith('## ❌ Quickstart failed')).toBe(true);
    expect(failing).toContain('21 of 29 checks passed, 2 warnings, 2 failed, 4 skipped');
  });

  it('has a four-column table with one row per check', () => {
    const rows = tableRows(renderMarkdown(failingReport()));
    expect(rows[0]).toBe('| Step | Check | Status | Message |');
    const body = rows.slice(1);
    expect(body).toHaveLength(ALL_CHECK_IDS.length);
    for (const row of body) expect(cells(row)).toHaveLength(4);
  });

  it('escapes pipes and newlines so a message stays inside its cell', () => {
    const row = tableRows(renderMarkdown(failingReport())).find((r) =>
      r.includes('confirm.subscription'),
    )!;
    const [, , status, message] = cells(row);
    expect(status).toBe('❌ fail');
    expect(message).toContain('retry 3<br>second line 🚀 \\| done');
    expect(message).toContain('\\<pending\\> \\& 100%');
  });

  it('escapes a pipe in a check id inside its code span', () => {
    const report = passingReport();
    setCheck(report, 'connect.token', { id: 'connect.a|b' });
    const row = tableRows(renderMarkdown(report)).find((r) => r.includes('connect.a'))!;
    expect(row).toContain('`connect.a\\|b`');
    expect(cells(row)).toHaveLength(4);
  });

  it('lists each diagnosis with symptom, cause, action and command', () => {
    const text = renderMarkdown(failingReport());
    const section = text.slice(text.indexOf('### Diagnoses'));
    expect(section).toContain('#### ❌ `missing-confirmation`');
    expect(section).toContain('- **Likely cause:** Nothing called the subscription');
    expect(section).toContain('- **Action:** Call POST /v1/subscriptions/{id}/confirm');
    expect(section).toContain(
      '- **Run:** `beacon-quickstart diagnose --org org_123 --session cs_test_a1`',
    );
    expect(section).toContain('#### ℹ️ `duplicate-operation`');
  });

  it('truncates with a note instead of exceeding the size limit', () => {
    const report = failingReport();
    setCheck(report, 'connect.token', { message: 'é'.repeat(600_000) });
    const text = renderMarkdown(report);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(text).toContain('**Truncated:**');
    expect(text).not.toContain('\ufffd');

    const small = renderMarkdown(failingReport(), { maxBytes: 2000 });
    expect(Buffer.byteLength(small, 'utf8')).toBeLessThan(2000);
    expect(
      small.trimEnd().endsWith('The JSON report has every check and diagnosis.'),
    ).toBe(true);
  });
});
