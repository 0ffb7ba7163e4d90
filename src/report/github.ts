/**
 * GitHub Actions workflow commands: an ::error per failed check and a
 * ::warning per warned one, within the 10 + 10 that a step shows.
 */
import type { Diagnosis, Report } from './model.js';
import { allChecks, diagnosesForCheck, unattachedDiagnoses } from './summary.js';
import { stripControls } from './text.js';

/** GitHub shows at most this many annotations of each level for a step. */
export const ANNOTATION_LIMIT = 10;

/** Escapes a workflow command's message (the part after `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property value such as `title=`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
}

function withActions(message: string, diagnoses: Diagnosis[]): string {
  const lines = message.trim() === '' ? [] : [message.trim()];
  for (const d of diagnoses) {
    lines.push(`Action: ${d.action}`);
    if (d.command) lines.push(`Run: ${d.command}`);
  }
  return lines.join('\n');
}

function collect(report: Report): Annotation[] {
  const annotations: Annotation[] = [];
  for (const { check } of allChecks(report)) {
    if (check.status !== 'fail' && check.status !== 'warn') continue;
    annotations.push({
      level: check.status === 'fail' ? 'error' : 'warning',
      title: `${check.id}: ${check.title}`,
      message: withActions(check.message, diagnosesForCheck(report, check.id)),
    });
  }

  // A diagnosis tied to no failed check would otherwise never reach the log.
  for (const d of unattachedDiagnoses(report)) {
    if (d.severity === 'info') continue;
    annotations.push({
      level: d.severity === 'error' ? 'error' : 'warning',
      title: `${d.id}: ${d.symptom}`,
      message: withActions(d.diagnosis, [d]),
    });
  }
  return annotations;
}

function command(level: string, title: string, message: string): string {
  const clean = (s: string) => stripControls(s);
  return `::${level} title=${escapeProperty(clean(title))}::${escapeData(clean(message))}`;
}

/** Renders workflow commands; an empty string when nothing failed or warned. */
export function renderGithubAnnotations(report: Report): string {
  const annotations = collect(report);
  const lines: string[] = [];
  const hidden: string[] = [];

  for (const level of ['error', 'warning'] as const) {
    const ofLevel = annotations.filter((a) => a.level === level);
    for (const a of ofLevel.slice(0, ANNOTATION_LIMIT)) {
      lines.push(command(a.level, a.title, a.message));
    }
    const rest = ofLevel.length - ANNOTATION_LIMIT;
    if (rest > 0)
      hidden.push(`${rest} more ${level === 'error' ? 'failures' : 'warnings'}`);
  }

  if (hidden.length > 0) {
    const message =
      `${hidden.join(' and ')} not shown as annotations; ` +
      'see the job summary or the JSON report.';
    lines.push(command('notice', 'More results', message));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
