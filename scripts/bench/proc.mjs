/** Spawning measured child processes: wall time and peak resident memory. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';

/** Peak resident set (VmHWM) of a live process in MB, or null when unreadable. */
export function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Runs a command to completion; samples its peak RSS every 10 ms (VmHWM only
 * grows, so the last sample before exit is the peak up to that moment).
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const sampler = setInterval(() => {
      const value = peakRssMb(child.pid);
      if (value !== null) peak = Math.max(peak, value);
    }, 10);
    const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      clearInterval(sampler);
      clearTimeout(killer);
      child.on('close', () =>
        resolve({ code, signal, ms, stdout, stderr, peakRssMb: peak || null }),
      );
    });
  });
}
