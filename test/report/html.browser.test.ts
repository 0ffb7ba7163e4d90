/**
 * Opens the HTML report in a real Chromium: the timeline must render, nothing
 * may overflow the page or the SVG, and the page must make no request.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { renderHtml } from '../../src/report/html.js';
import { emptyTimelineReport, failingReport } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const title = available
  ? 'HTML report in Chromium'
  : `HTML report in Chromium (skipped: ${CHROMIUM} is not installed)`;

interface Layout {
  scrollWidth: number;
  innerWidth: number;
  outsidePage: string[];
  outsideSvg: string[];
  stepLanes: number;
  callMarks: number;
  deliveryMarks: number;
}

// The few DOM shapes the measurement uses; the project compiles without the DOM library.
interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}

interface DomElement {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Box;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

interface DomWindow {
  innerWidth: number;
  document: {
    documentElement: { scrollWidth: number };
    body: DomElement;
    querySelector(selector: string): DomElement | null;
    querySelectorAll(selector: string): ArrayLike<DomElement>;
  };
}

/** Measures the page in the browser; returns descriptions of offending elements. */
function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const win = globalThis as unknown as DomWindow;
    const document = win.document;
    const describe = (el: DomElement) => {
      const cls = el.getAttribute('class');
      return `${el.tagName.toLowerCase()}${cls ? `.${cls.replace(/\s+/g, '.')}` : ''}`;
    };
    const visible = (r: Box) => r.width > 0 || r.height > 0;
    const slack = 0.5;
    const innerWidth = win.innerWidth;
    const outsidePage: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (!visible(r)) continue;
      if (r.left < -slack || r.right > innerWidth + slack) outsidePage.push(describe(el));
    }

    const svg = document.querySelector('svg.timeline');
    const outsideSvg: string[] = [];
    if (svg) {
      const box = svg.getBoundingClientRect();
      for (const el of Array.from(svg.querySelectorAll('*'))) {
        if (el.tagName.toLowerCase() === 'title') continue;
        const r = el.getBoundingClientRect();
        if (!visible(r)) continue;
        const inside =
          r.left >= box.left - slack &&
          r.right <= box.right + slack &&
          r.top >= box.top - slack &&
          r.bottom <= box.bottom + slack;
        if (!inside) outsideSvg.push(`${describe(el)} ${el.textContent ?? ''}`.trim());
      }
    }

    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth,
      outsidePage,
      outsideSvg,
      stepLanes: document.querySelectorAll('svg.timeline .step-lane .step-span').length,
      callMarks: document.querySelectorAll('svg.timeline .call-mark').length,
      deliveryMarks: document.querySelectorAll('svg.timeline .delivery-mark').length,
    };
  });
}

describe.skipIf(!available)(title, () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bq-report-'));
    await mkdir(join(dir, 'pages'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    // The screenshots are kept for people to look at; only the pages go.
    if (dir) await rm(join(dir, 'pages'), { recursive: true, force: true });
  });

  /** Opens a page with every non-file request aborted and recorded. */
  async function openFile(file: string, width: number) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) external.push(request.url());
    });
    await page.route('**/*', (route) =>
      route.request().url().startsWith('file:') ? route.continue() : route.abort(),
    );
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, external };
  }

  async function open(report: Report, name: string, width: number) {
    const file = join(dir, 'pages', `${name}.html`);
    await writeFile(file, renderHtml(report), 'utf8');
    const { page, external } = await openFile(file, width);
    const screenshot = join(dir, `${name}-${width}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    // Printed so a person can look at it; the file stays after the run.
    console.log(`screenshot: ${screenshot}`);
    const layout = await measure(page);
    await page.close();
    return { layout, external };
  }

  it('notices a page that tries to fetch something', async () => {
    // Without this, an empty request list could mean the recorder never worked.
    const file = join(dir, 'pages', 'fetching.html');
    await writeFile(
      file,
      '<!doctype html><img src="http://127.0.0.1:9/pixel.png">',
      'utf8',
    );
    const { page, external } = await openFile(file, 800);
    await page.close();
    expect(external).toEqual(['http://127.0.0.1:9/pixel.png']);
  });

  it.each([1280, 390])(
    'renders the failing run at %i px without overflow',
    async (width) => {
      const report = failingReport();
      const { layout, external } = await open(report, 'failing', width);

      expect(layout.stepLanes).toBe(report.steps.length);
      expect(layout.callMarks).toBe(report.timeline.apiCalls.length);
      expect(layout.deliveryMarks).toBe(report.timeline.deliveries.length);
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.outsidePage).toEqual([]);
      expect(layout.outsideSvg).toEqual([]);
      expect(external).toEqual([]);
    },
  );

  it('renders an empty, zero-length run', async () => {
    const { layout, external } = await open(emptyTimelineReport(), 'empty', 1280);
    expect(layout.stepLanes).toBe(5);
    expect(layout.callMarks).toBe(0);
    expect(layout.outsidePage).toEqual([]);
    expect(layout.outsideSvg).toEqual([]);
    expect(external).toEqual([]);
  });
});
