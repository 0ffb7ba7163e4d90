/** Test doubles for init: a prompter that answers from a script, a browser that pays. */
import type {
  ConfirmQuestion,
  InputQuestion,
  Prompter,
  SelectQuestion,
} from '../../src/io/prompt.js';
import type { BrowserOpener } from '../../src/io/browser.js';
import type { Spinner } from '../../src/io/spinner.js';

export interface Asked {
  kind: 'input' | 'select' | 'password' | 'confirm';
  message: string;
}

/**
 * Answers each question from `answers` by matching its message; a question
 * with no scripted answer takes its default, and one without a default fails.
 */
export function scriptedPrompter(
  answers: Array<{ match: RegExp; answer: string | boolean }> = [],
): Prompter & { asked: Asked[] } {
  const asked: Asked[] = [];
  const find = (message: string) => answers.find((a) => a.match.test(message));
  const noDefault = (message: string): never => {
    throw new Error(`Unexpected question without a default: ${message}`);
  };
  return {
    asked,
    async input(q: InputQuestion) {
      asked.push({ kind: 'input', message: q.message });
      const value = String(find(q.message)?.answer ?? q.default ?? noDefault(q.message));
      const verdict = q.validate?.(value) ?? true;
      if (verdict !== true) throw new Error(`Rejected: ${verdict}`);
      return value;
    },
    async select<T extends string>(q: SelectQuestion<T>) {
      asked.push({ kind: 'select', message: q.message });
      const scripted = find(q.message)?.answer;
      return (scripted ?? q.default ?? q.choices[0]?.value) as T;
    },
    async password(q: InputQuestion) {
      asked.push({ kind: 'password', message: q.message });
      const value = String(find(q.message)?.answer ?? noDefault(q.message));
      const verdict = q.validate?.(value) ?? true;
      if (verdict !== true) throw new Error(`Rejected: ${verdict}`);
      return value;
    },
    async confirm(q: ConfirmQuestion) {
      asked.push({ kind: 'confirm', message: q.message });
      const scripted = find(q.message)?.answer;
      return typeof scripted === 'boolean' ? scripted : (q.default ?? false);
    },
  };
}

/** A prompter that fails the test if anything is asked. */
export const silentPrompter: Prompter = {
  input: async (q) => Promise.reject(new Error(`asked: ${q.message}`)),
  select: async (q) => Promise.reject(new Error(`asked: ${q.message}`)),
  password: async (q) => Promise.reject(new Error(`asked: ${q.message}`)),
  confirm: async (q) => Promise.reject(new Error(`asked: ${q.message}`)),
};

/** Collects spinner lines instead of drawing anything. */
export function recordingSpinner(): Spinner & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    start: () => undefined,
    stop: () => undefined,
    line: (t) => lines.push(t),
  };
}

/** A browser that records URLs and, when given `visit`, acts on the page. */
export function fakeBrowser(
  visit?: (url: string) => Promise<void>,
): BrowserOpener & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    async open(url: string) {
      opened.push(url);
      // Act after returning, as a person would once the page is up.
      if (visit) setTimeout(() => void visit(url).catch(() => undefined), 10);
      return true;
    },
  };
}
