import { describe, expect, it } from 'vitest';
import {
  ANNOTATION_LIMIT,
  escapeData,
  escapeProperty,
  renderGithubAnnotations,
} from '../../src/report/github.js';
import { failingReport, manyProblemsReport, passingReport } from './fixtures.js';

describe('workflow command escaping', () => {
  it.each([
    ['100%', '100%25'],
    ['a\nb', 'a%0Ab'],
    ['a\r\nb', 'a%0D%0Ab'],
    ['%0A literal', '%250A literal'],
    ['a: b, c', 'a: b, c'],
  ])('escapeData(%j) is %j', (input, expected) => {
    expect(escapeData(input)).toBe(expected);
  });

  it.each([
    ['a: b, c', 'a%3A b%2C c'],
    ['50%\nnext', '50%25%0Anext'],
    ['::error::', '%3A%3Aerror%3A%3A'],
  ])('escapeProperty(%j) is %j', (input, expected) => {
    expect(escapeProperty(input)).toBe(expected);
  });
});

describe('renderGithubAnnotations', () => {
  it('prints nothing for a clean run', () => {
    expect(renderGithubAnnotations(passingReport())).toBe('');
  });

  it('writes one error per failed check and one warning per warned check, escaped', () => {
    const lines = renderGithubAnnotations(failingReport()).trimEnd().split('\n');
    const errors = lines.filter((l) => l.startsWith('::error '));
    const warnings = lines.filter((l) => l.startsWith('::warning '));
    expect(errors).toHaveLength(2);
    // Two warned checks plus the stale-endpoints diagnosis that no check shows.
    expect(warnings).toHaveLength(3);

    const confirm = errors[0]!;
    expect(confirm).toMatch(
      /^::error title=confirm\.subscription%3A Beacon confirmed an active subscription::/,
    );
    expect(confirm).toContain('100%25 unconfirmed, at 12:00, retry 3%0Asecond line');
    expect(confirm).toContain('%0AAction: Call POST /v1/subscriptions/{id}/confirm');
    for (const line of lines) expect(line).not.toMatch(/[\r\n]/);
  });

  it('escapes commas and colons in titles but keeps message colons', () => {
    const lines = renderGithubAnnotations(failingReport()).split('\n');
    const stale = lines.find((l) => l.includes('stale-endpoints'))!;
    expect(stale).toContain(
      'title=stale-endpoints%3A 14 of 16 webhook endpoints in use%2C 3',
    );
    expect(stale.split('::')[2]).toContain('Action: Prune them: beacon-quickstart');
  });

  it('caps errors and warnings at ten each and sums up the rest in one notice', () => {
    const lines = renderGithubAnnotations(manyProblemsReport(14, 12))
      .trimEnd()
      .split('\n');
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(ANNOTATION_LIMIT);
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(
      ANNOTATION_LIMIT,
    );
    const notices = lines.filter((l) => l.startsWith('::notice '));
    expect(notices).toHaveLength(1);
    expect(lines[lines.length - 1]).toBe(notices[0]);
    expect(notices[0]).toContain('4 more failures and 2 more warnings');
  });

  it('adds no notice when everything fits', () => {
    const text = renderGithubAnnotations(manyProblemsReport(10, 10));
    expect(text).not.toContain('::notice');
  });
});
