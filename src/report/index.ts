/** The report renderers behind one entry point. */
import { renderGithubAnnotations } from './github.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJUnit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { Report } from './model.js';
import { renderTerminal } from './terminal.js';

export * from './model.js';
export {
  escapeData,
  escapeProperty,
  renderGithubAnnotations,
  ANNOTATION_LIMIT,
} from './github.js';
export { escapeHtml, renderHtml } from './html.js';
export { renderJson } from './json.js';
export { renderJUnit } from './junit.js';
export { loadReport } from './load.js';
export { renderMarkdown, SUMMARY_LIMIT_BYTES } from './markdown.js';
export type { MarkdownOptions } from './markdown.js';
export { countsSentence, overallStatus, summaryText } from './summary.js';
export { renderTerminal, STATUS_SYMBOLS } from './terminal.js';
export type { TerminalOptions } from './terminal.js';
export { renderTimelineSvg } from './timeline-svg.js';

export const REPORT_FORMATS = [
  'terminal',
  'json',
  'junit',
  'markdown',
  'html',
  'github',
] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** Terminal only: ANSI colour (off unless asked for). */
  color?: boolean;
  /** Terminal only: show evidence. */
  verbose?: boolean;
  /** Terminal only: columns to wrap to. */
  width?: number;
}

/** Renders the report in the named format; every format is a pure string. */
export function renderReport(
  report: Report,
  format: ReportFormat,
  options: RenderOptions = {},
): string {
  switch (format) {
    case 'terminal':
      return renderTerminal(report, {
        color: options.color ?? false,
        verbose: options.verbose,
        width: options.width,
      });
    case 'json':
      return renderJson(report);
    case 'junit':
      return renderJUnit(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    case 'github':
      return renderGithubAnnotations(report);
  }
}
