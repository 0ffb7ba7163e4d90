/**
 * The HTML a pipeline archives: a real sandbox run, saved with --output and
 * re-rendered by `report --format html`, opened in headless Chromium. The
 * timeline must be drawn with every step, call and delivery, nothing may sit
 * off the canvas, and the page must fetch nothing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { scratch } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);

interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}

// Just the DOM surface the measurement touches; the project has no DOM typings.
interface El {
  tagName: string;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Rect;
  querySelectorAll(selector: string): ArrayLike<El>;
}

interface Measured {
  pageWidth: number;
  viewportWidth: number;
  svgBox: Rect | null;
  offPage: string[];
  offSvg: string[];
  spans: number;
  calls: number;
  deliveries: number;
  checks: number;
}

describe.skipIf(!available)('the CLI’s HTML report in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let remove: () => Promise<void>;
  let report: Report;
  let page: string;

  beforeAll(async () => {
    ({ dir, remove } = await scratch());
    // webhook-dropped fails a check, so the page shows a failure and a diagnosis too.
    const run = await runCli(
      [
        'validate',
        '--sandbox',
        '--ci',
        '--scenario',
        'webhook-dropped',
        '--output',
        'run.json',
      ],
      { env: cleanEnv(), cwd: dir },
    );
    expect(run.exitCode, run.stderr).toBe(1);
    const rendered = await runCli(
      ['report', 'run.json', '--format', 'html', '--out', 'r.html'],
      {
        env: cleanEnv(),
        cwd: dir,
      },
    );
    expect(rendered.exitCode, rendered.stderr).toBe(0);
    report = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as Report;
    page = join(dir, 'r.html');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await remove?.();
  });

  it.each([1280, 390])(
    'draws the timeline with nothing off-canvas at %i px',
    async (width) => {
      const tab = await browser.newPage({ viewport: { width, height: 900 } });
      const requests: string[] = [];
      tab.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await tab.route('**/*', (route) =>
        route.request().url().startsWith('file:') ? route.continue() : route.abort(),
      );
      await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
      const shot = await tab.screenshot({ fullPage: true });

      const m = await tab.evaluate((): Measured => {
        const doc = (
          globalThis as unknown as {
            document: El & {
              documentElement: { scrollWidth: number };
              body: El;
              querySelector(s: string): El | null;
            };
          }
        ).document;
        const viewportWidth = (globalThis as unknown as { innerWidth: number })
          .innerWidth;
        const label = (el: El) =>
          `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`;
        const shown = (r: Rect) => r.width > 0 || r.height > 0;
        const offPage: string[] = [];
        for (const el of Array.from(doc.body.querySelectorAll('*'))) {
          const r = el.getBoundingClientRect();
          if (shown(r) && (r.left < -0.5 || r.right > viewportWidth + 0.5))
            offPage.push(label(el));
        }
        const svg = doc.querySelector('svg.timeline');
        const svgBox = svg ? svg.getBoundingClientRect() : null;
        const offSvg: string[] = [];
        if (svg && svgBox) {
          for (const el of Array.from(svg.querySelectorAll('*'))) {
            if (el.tagName.toLowerCase() === 'title') continue;
            const r = el.getBoundingClientRect();
            if (!shown(r)) continue;
            const inside =
              r.left >= svgBox.left - 0.5 &&
              r.right <= svgBox.right + 0.5 &&
              r.top >= svgBox.top - 0.5 &&
              r.bottom <= svgBox.bottom + 0.5;
            if (!inside) offSvg.push(label(el));
          }
        }
        const count = (s: string) => doc.querySelectorAll(s).length;
        return {
          pageWidth: doc.documentElement.scrollWidth,
          viewportWidth,
          svgBox,
          offPage,
          offSvg,
          spans: count('svg.timeline .step-span'),
          calls: count('svg.timeline .call-mark'),
          deliveries: count('svg.timeline .delivery-mark'),
          checks: count('li.check'),
        };
      });
      await tab.close();

      expect(shot.length).toBeGreaterThan(0);
      expect(m.svgBox?.width ?? 0).toBeGreaterThan(100);
      expect(m.svgBox?.height ?? 0).toBeGreaterThan(50);
      expect(m.spans).toBe(report.steps.length);
      expect(m.calls).toBe(report.timeline.apiCalls.length);
      expect(m.calls).toBeGreaterThan(10);
      expect(m.deliveries).toBe(report.timeline.deliveries.length);
      expect(m.checks).toBe(report.steps.flatMap((s) => s.checks).length);
      expect(m.pageWidth).toBeLessThanOrEqual(m.viewportWidth);
      expect(m.offPage).toEqual([]);
      expect(m.offSvg).toEqual([]);
      expect(requests).toEqual([]);
    },
  );
});
