/**
 * The one prompt layer. Commands ask through a `Prompter`; the real one is
 * `@inquirer/prompts` on the context's streams, tests pass scripted answers.
 * Ctrl-C inside a prompt becomes an InterruptedError like anywhere else.
 */
import { InterruptedError } from '../errors.js';
import type { Context } from './context.js';

export interface Choice<T extends string> {
  value: T;
  name?: string;
  description?: string;
}

export interface InputQuestion {
  message: string;
  default?: string;
  validate?: (value: string) => true | string;
}

export interface SelectQuestion<T extends string> {
  message: string;
  choices: ReadonlyArray<Choice<T>>;
  default?: T;
}

export interface ConfirmQuestion {
  message: string;
  default?: boolean;
}

export interface Prompter {
  input(question: InputQuestion): Promise<string>;
  select<T extends string>(question: SelectQuestion<T>): Promise<T>;
  /** A masked answer: each typed character shows as `*`, never the value. */
  password(question: InputQuestion): Promise<string>;
  confirm(question: ConfirmQuestion): Promise<boolean>;
}

const CANCELLED = new Set(['ExitPromptError', 'AbortPromptError', 'CancelPromptError']);

/** True for the errors inquirer throws on Ctrl-C or an aborted signal. */
export function isPromptCancellation(error: unknown): boolean {
  return error instanceof Error && CANCELLED.has(error.name);
}

/**
 * Inquirer reads the keyboard in raw mode, so Ctrl-C never becomes SIGINT.
 * Re-raise it so the entry point's handler announces it and aborts the run.
 */
function raiseInterrupt(signal: AbortSignal): void {
  if (signal.aborted) return;
  if (process.listenerCount('SIGINT') > 0) process.kill(process.pid, 'SIGINT');
}

async function guarded<T>(signal: AbortSignal, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (!isPromptCancellation(error)) throw error;
    raiseInterrupt(signal);
    throw new InterruptedError();
  }
}

/** The real prompts; inquirer loads only when the first question is asked. */
export function inquirerPrompter(ctx: Context): Prompter {
  // Prompts go to stderr so stdout holds only the report.
  const io = { input: ctx.stdin, output: ctx.stderr, signal: ctx.signal };
  const load = () => import('@inquirer/prompts');
  return {
    input: (q) =>
      guarded(ctx.signal, async () => (await load()).input(q, io).then((v) => v.trim())),
    select: (q) =>
      guarded(ctx.signal, async () =>
        (await load()).select(
          {
            message: q.message,
            choices: q.choices.map((c) => ({ ...c, name: c.name ?? c.value })),
            ...(q.default !== undefined ? { default: q.default } : {}),
          },
          io,
        ),
      ),
    password: (q) =>
      guarded(ctx.signal, async () =>
        (await load())
          .password(
            {
              message: q.message,
              mask: '*',
              ...(q.validate ? { validate: q.validate } : {}),
            },
            io,
          )
          .then((v) => v.trim()),
      ),
    confirm: (q) => guarded(ctx.signal, async () => (await load()).confirm(q, io)),
  };
}

/** A prompter that answers every yes/no question with its default (`--yes`). */
export function confirmingDefaults(prompter: Prompter): Prompter {
  return { ...prompter, confirm: async (q) => q.default ?? false };
}
