/** Long-running child processes for the benchmark: started, awaited, measured, stopped. */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';
import { peakRssMb } from './proc.mjs';

/** A free loopback port (bound once, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns a server process and resolves once `ready(stdoutSoFar)` returns a
 * value; kills it after `timeoutMs` if it never becomes ready.
 */
export function startProcess(command, args, { env, ready, timeoutMs = 20_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} not ready in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    const check = () => {
      const value = ready(stdout, stderr);
      if (settled || value === undefined || value === null) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        child,
        value,
        peakRssMb: () => peakRssMb(child.pid),
        stop: () => stop(child),
      });
    };
    child.stdout.on('data', (chunk) => {
      // Only the first lines matter; later output (one line per delivery) is dropped.
      if (!settled) stdout += chunk;
      check();
    });
    child.stderr.on('data', (chunk) => {
      if (!settled) stderr += chunk;
      check();
    });
    child.on('exit', (code) => {
      if (settled) return;
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited ${code} before ready: ${stderr}`));
    });
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGINT');
  });
}
