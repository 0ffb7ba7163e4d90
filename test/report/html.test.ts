import { describe, expect, it } from 'vitest';
import { ALL_CHECK_IDS } from '../../src/flow/catalog.js';
import { escapeHtml, renderHtml } from '../../src/report/html.js';
import { renderTimelineSvg } from '../../src/report/timeline-svg.js';
import { emptyTimelineReport, failingReport, passingReport } from './fixtures.js';

function viewBox(svg: string): { width: number; height: number } {
  const match = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  expect(match).not.toBeNull();
  return { width: Number(match![1]), height: Number(match![2]) };
}

/** Every x/y-like coordinate in the SVG, as numbers. */
function coordinates(svg: string, names: string[]): number[] {
  const pattern = new RegExp(`\\s(?:${names.join('|')})="(-?[\\d.]+)"`, 'g');
  return [...svg.matchAll(pattern)].map((m) => Number(m[1]));
}

describe('escapeHtml', () => {
  it('escapes the five characters that matter and drops control characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>\u0007`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});

describe('renderHtml', () => {
  it('is one document with inline styles and nothing to fetch or run', () => {
    const html = renderHtml(failingReport());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<html/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\s(?:src|href)=/i);
    expect(html).toContain("default-src 'none'");
  });

  it('shows the result, counts, target, organization and run id up top', () => {
    const html = renderHtml(failingReport());
    const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    expect(header).toContain('class="badge fail">Failed<');
    expect(header).toContain('21 of 29 checks passed, 2 warnings, 2 failed, 4 skipped');
    expect(header).toContain('sandbox (scenario confirm-skipped)');
    expect(header).toContain('org_123');
    expect(header).toContain('run_2026-12-03T22-00-00Z_5c1e');
  });

  it('has every check, and the diagnosis with a highlighted action under its check', () => {
    const html = renderHtml(failingReport());
    for (const id of ALL_CHECK_IDS) expect(html).toContain(`data-check="${id}"`);
    const start = html.indexOf('data-check="confirm.subscription"');
    const check = html.slice(start, html.indexOf('</li>', start));
    expect(check).toContain('data-diagnosis="missing-confirmation"');
    expect(check).toContain(
      '<dd class="action">Call POST /v1/subscriptions/{id}/confirm from the return handler',
    );
  });

  it('escapes every string it places in the page', () => {
    const report = failingReport();
    report.organizationId = '<script>alert(1)</script>';
    report.steps[0]!.title = 'Connect <b>"Stripe"</b>';
    report.timeline.apiCalls[0]!.path = '/v1/<x onload="boom">';
    const html = renderHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<x onload');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain(
      'Subscription &quot;sub_1Q&quot; is &#39;incomplete&#39; &lt;pending&gt; &amp;',
    );
  });

  it('lists the correlation ids and each event', () => {
    const html = renderHtml(failingReport());
    const section = html.slice(html.indexOf('class="correlation"'));
    for (const text of ['chk_op_7f3a', 'cs_test_a1', 'sub_1Q', 'evt_1', 'invoice.paid']) {
      expect(section).toContain(text);
    }
  });
});

describe('renderTimelineSvg', () => {
  it('draws a lane per step, a mark per API call and per delivery', () => {
    const report = failingReport();
    const svg = renderTimelineSvg(report);
    expect(svg.match(/class="lane step-lane"/g)).toHaveLength(report.steps.length);
    expect(svg.match(/class="call-mark/g)).toHaveLength(report.timeline.apiCalls.length);
    expect(svg.match(/class="call-mark failed"/g)).toHaveLength(1);
    expect(svg.match(/class="delivery-mark /g)).toHaveLength(
      report.timeline.deliveries.length,
    );
    expect(svg.match(/delivery-mark rejected/g)).toHaveLength(1);
    expect(svg.match(/delivery-mark verified duplicate/g)).toHaveLength(1);
  });

  it.each([
    ['a normal run', failingReport],
    ['an empty, zero-length run', emptyTimelineReport],
  ])('keeps every coordinate of %s inside the viewBox', (_name, make) => {
    const svg = renderTimelineSvg(make());
    const box = viewBox(svg);
    for (const x of coordinates(svg, ['x', 'x1', 'x2', 'cx'])) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(box.width);
    }
    for (const y of coordinates(svg, ['y', 'y1', 'y2', 'cy'])) {
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(box.height);
    }
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('says so when nothing was recorded', () => {
    const svg = renderTimelineSvg(emptyTimelineReport());
    expect(svg).toContain('No API calls recorded');
    expect(svg).toContain('No webhook deliveries');
    expect(svg).toContain('>0 ms<');
  });

  it('clamps records that lie past the end of the run', () => {
    const report = passingReport();
    report.timeline.apiCalls[0]!.startedAtMs = Number.NaN;
    report.timeline.apiCalls[1]!.durationMs = -50;
    report.timeline.deliveries[0]!.receivedAtMs = 9_999_999;
    const svg = renderTimelineSvg(report);
    expect(svg).not.toMatch(/NaN|Infinity|="-/);
  });

  it('truncates long lane labels', () => {
    const report = passingReport();
    report.steps[0]!.title = 'A step title far too long to fit in the label column';
    const svg = renderTimelineSvg(report);
    expect(svg).toContain('>A step title far too …<');
  });
});
