/**
 * Progress on stderr: an ora spinner while something runs, on a TTY outside
 * CI only; plain lines otherwise. Every line goes through here so nothing is
 * written under a live spinner.
 */
import type { Ora } from 'ora';
import { spinnerAllowed, type Context } from './context.js';

export interface Spinner {
  /** Shows `text` as the thing being waited for (no-op without a TTY). */
  start(text: string): void;
  /** Removes the spinner without printing anything. */
  stop(): void;
  /** Prints a lasting line on stderr, keeping the spinner below it. */
  line(text: string): void;
}

class OraSpinner implements Spinner {
  private active = false;

  constructor(
    private readonly ora: Ora,
    private readonly stream: NodeJS.WritableStream,
  ) {}

  start(text: string): void {
    this.ora.text = text;
    if (!this.active) this.ora.start();
    this.active = true;
  }

  stop(): void {
    if (this.active) this.ora.stop();
    this.active = false;
  }

  line(text: string): void {
    const wasActive = this.active;
    this.stop();
    this.stream.write(`${text}\n`);
    if (wasActive) this.start(this.ora.text);
  }
}

class PlainSpinner implements Spinner {
  constructor(private readonly stream: NodeJS.WritableStream) {}

  start(): void {}

  stop(): void {}

  line(text: string): void {
    this.stream.write(`${text}\n`);
  }
}

/** The spinner the context allows: ora on a TTY stderr outside CI, plain lines otherwise. */
export async function createSpinner(ctx: Context): Promise<Spinner> {
  if (!spinnerAllowed(ctx)) return new PlainSpinner(ctx.stderr);
  const { default: ora } = await import('ora');
  const spinner = ora({
    stream: ctx.stderr,
    color: ctx.colorStderr ? 'cyan' : false,
    // Keyboard input belongs to the prompts and the skip key, not to ora.
    discardStdin: false,
  });
  return new OraSpinner(spinner, ctx.stderr);
}
