import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { renderJson } from '../../src/report/json.js';
import { loadReport } from '../../src/report/load.js';
import { failingReport, passingReport } from './fixtures.js';

function loadError(text: string): ConfigError {
  try {
    loadReport(text, 'run.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('loadReport accepted bad input');
}

function mutated(change: (doc: Record<string, unknown>) => void): string {
  const doc = JSON.parse(renderJson(failingReport())) as Record<string, unknown>;
  change(doc);
  return JSON.stringify(doc);
}

describe('renderJson', () => {
  it('writes exactly one document with two-space indentation and a newline', () => {
    const text = renderJson(passingReport());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
    expect(() => JSON.parse(text)).not.toThrow();
  });
});

describe('loadReport', () => {
  it.each([
    ['passing', passingReport],
    ['failing', failingReport],
  ])('reads back a %s run unchanged', (_name, make) => {
    const report = make();
    expect(loadReport(renderJson(report), 'run.json')).toEqual(report);
  });

  it('accepts a byte-order mark', () => {
    const report = passingReport();
    expect(loadReport(`\uFEFF${renderJson(report)}`, 'run.json')).toEqual(report);
  });

  it('fills fields a trimmed file leaves out', () => {
    const text = mutated((doc) => {
      const step = (doc.steps as Array<Record<string, unknown>>)[0]!;
      const check = (step.checks as Array<Record<string, unknown>>)[0]!;
      delete check.title;
      delete check.evidence;
      delete check.message;
    });
    const check = loadReport(text, 'run.json').steps[0]!.checks[0]!;
    expect(check).toMatchObject({
      id: 'connect.token',
      title: 'connect.token',
      message: '',
    });
    expect(check.evidence).toEqual({});
  });

  it('names the file and the JSON problem for text that is not JSON', () => {
    const error = loadError('{"schemaVersion": 1,');
    expect(error.message).toMatch(/^run\.json is not valid JSON: /);
    expect(error.suggestion).toContain('--json');
  });

  it.each([
    [
      'no schema version',
      (d: Record<string, unknown>) => delete d.schemaVersion,
      /no schemaVersion/,
    ],
    [
      'a newer schema',
      (d: Record<string, unknown>) => (d.schemaVersion = 2),
      /schema version 2; .* reads version 1/,
    ],
    [
      'no steps',
      (d: Record<string, unknown>) => delete d.steps,
      /steps must be an array \(found nothing\)/,
    ],
    [
      'a bad check status',
      (d: Record<string, unknown>) => {
        const steps = d.steps as Array<{ checks: Array<Record<string, unknown>> }>;
        steps[1]!.checks[2]!.status = 'ok';
      },
      /steps\[1\]\.checks\[2\]\.status must be one of pass, warn, fail, skip \(found "ok"\)/,
    ],
    [
      'a check without id',
      (d: Record<string, unknown>) => {
        const steps = d.steps as Array<{ checks: Array<Record<string, unknown>> }>;
        delete steps[0]!.checks[0]!.id;
      },
      /steps\[0\]\.checks\[0\]\.id must be a string/,
    ],
    [
      'no diagnoses',
      (d: Record<string, unknown>) => (d.diagnoses = {}),
      /diagnoses must be an array/,
    ],
    [
      'no correlation',
      (d: Record<string, unknown>) => delete d.correlation,
      /correlation must be an object/,
    ],
    [
      'no timeline calls',
      (d: Record<string, unknown>) =>
        delete (d.timeline as Record<string, unknown>).apiCalls,
      /timeline\.apiCalls must be an array/,
    ],
  ])('rejects a document with %s', (_name, change, pattern) => {
    const error = loadError(mutated(change));
    expect(error.message).toMatch(/^run\.json is not a usable report: /);
    expect(error.message).toMatch(pattern);
    expect(error.suggestion).toBeTruthy();
  });

  it('rejects a document that is not an object', () => {
    expect(loadError('[1, 2]').message).toContain('the document must be an object');
  });
});
