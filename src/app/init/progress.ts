/**
 * What a person sees while `init` runs: each step introduced in one line,
 * each check as it completes, and a spinner while the step works. It is a
 * ProgressListener on the same CheckRecorder `validate` uses.
 */
import { Chalk } from 'chalk';
import type { ProgressListener } from '../../flow/recorder.js';
import type { CheckResult, CheckStatus, StepId } from '../../report/model.js';
import { STATUS_SYMBOLS } from '../../report/terminal.js';
import type { Spinner } from '../../io/spinner.js';

/** One line per step saying what it is about to prove. */
export const STEP_INTRODUCTIONS: Readonly<Record<StepId, string>> = {
  connect:
    "Beacon must accept the token and the organization's Stripe account must charge.",
  webhooks: 'Stripe must be able to deliver events here, signed with a secret we keep.',
  checkout: 'One checkout under one Idempotency-Key, then payment on its page.',
  confirm: 'The return, Beacon confirming the subscription, and the events behind it.',
  operations: "Beacon's health, dashboard, fiscal documents, metrics and alerts.",
};

type Paint = (text: string) => string;

function painter(
  color: boolean,
): Record<CheckStatus, Paint> & { dim: Paint; bold: Paint } {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  return {
    pass: chalk.green,
    warn: chalk.yellow,
    fail: chalk.red,
    skip: chalk.gray,
    dim: chalk.dim,
    bold: chalk.bold,
  };
}

/** Strips terminal control characters from text that came from a server. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** Prints steps and checks through the spinner as the recorder reports them. */
export function walkthroughProgress(spinner: Spinner, color: boolean): ProgressListener {
  const p = painter(color);
  const line = (check: CheckResult) => {
    const symbol = p[check.status](STATUS_SYMBOLS[check.status]);
    return `  ${symbol} ${plain(check.title)}  ${p.dim(plain(check.message))}`;
  };
  return {
    stepStarted(step) {
      spinner.line('');
      spinner.line(`${p.bold(`Step ${step.index} of ${step.total}: ${step.title}`)}`);
      spinner.line(`  ${STEP_INTRODUCTIONS[step.id]}`);
      spinner.start(`${step.title}…`);
    },
    checkFinished(check) {
      spinner.line(line(check));
    },
    stepFinished() {
      spinner.stop();
    },
  };
}
