/** The report as one JSON document: the stable, schema-versioned interface. */
import type { Report } from './model.js';

/** Renders exactly one JSON document, indented by two spaces, ending in a newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
