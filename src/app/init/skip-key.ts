/**
 * A visible way to stop waiting: while `init` waits for something a person
 * does elsewhere, pressing "s" ends the wait. The terminal is in raw mode for
 * that time, so Ctrl-C arrives as a byte and is turned back into SIGINT.
 */
import type { ReadStream } from 'node:tty';
import type { Context } from '../../io/context.js';

export interface SkipKey {
  /** Resolves when the key is pressed; never rejects. */
  readonly pressed: Promise<void>;
  /** Restores the terminal; safe to call twice. */
  stop(): void;
}

const CTRL_C = '\u0003';

/** Listens for "s" on a terminal stdin; elsewhere `pressed` never resolves. */
export function listenForSkip(ctx: Context, key = 's'): SkipKey {
  const stdin = ctx.stdin as Partial<ReadStream> & NodeJS.ReadableStream;
  if (!ctx.stdinIsTTY || typeof stdin.setRawMode !== 'function') {
    return { pressed: new Promise(() => undefined), stop: () => undefined };
  }
  let resolvePressed: () => void = () => undefined;
  const pressed = new Promise<void>((resolve) => (resolvePressed = resolve));
  const onData = (chunk: Buffer | string) => {
    const text = chunk.toString();
    if (text.includes(CTRL_C)) process.kill(process.pid, 'SIGINT');
    else if (text.toLowerCase().includes(key)) resolvePressed();
  };
  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  let stopped = false;
  return {
    pressed,
    stop() {
      if (stopped) return;
      stopped = true;
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
    },
  };
}
