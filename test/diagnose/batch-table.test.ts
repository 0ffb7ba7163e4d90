import { describe, expect, it } from 'vitest';
import { renderBatchTable } from '../../src/app/diagnose/batch.js';

describe('batch summary table', () => {
  it('shows control bytes from the orgs file as ?, never raw', () => {
    const table = renderBatchTable(
      [
        {
          line: 1,
          organizationId: 'org_\u001b[31mred',
          result: 'error',
          failedChecks: [],
          topDiagnosis: null,
          error: 'not an organization id: org_\u001b[31mred',
          reportFile: null,
        },
      ],
      '/tmp/out',
    );
    expect(table).not.toContain('\u001b');
    expect(table).toContain('org_?[31mred');
  });
});
