/** Escaping for text and attribute values in the HTML page and its inline SVG. */
import { stripControls } from './text.js';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes a string for HTML/SVG text or a quoted attribute; drops control characters. */
export function escapeHtml(value: string): string {
  return stripControls(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
