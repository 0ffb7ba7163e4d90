/**
 * Shared pieces for diagnose tests: a recording loopback proxy in front of a
 * standalone sandbox, and a context pointed at throwaway XDG directories.
 */
import { mkdtempSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeContext } from '../helpers/context.js';

export interface SeenRequest {
  method: string;
  path: string;
}

export interface RecordingProxy {
  origin: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * Forwards every request to `target` and records it. Requests that would
 * change something are answered 599 and never reach the sandbox, so a test
 * can both see them and be sure they did no harm.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const method = req.method ?? 'GET';
    seen.push({ method, path: req.url ?? '/' });
    if (method !== 'GET' && method !== 'HEAD') {
      req.resume();
      res.writeHead(599, { 'Content-Type': 'application/json' });
      res.end('{"error":"mutating request refused by the test proxy"}');
      return;
    }
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A context whose config and state live in a fresh temporary home. */
export function isolatedContext(env: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), 'bq-diagnose-'));
  const ctx = fakeContext({
    cwd: home,
    env: {
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_STATE_HOME: join(home, 'state'),
      ...env,
    },
  });
  return { ctx, home };
}

/** Inspect counts over HTTP, as any other program would read them. */
export async function inspectCounts(sandbox: { inspectUrl: string }): Promise<unknown> {
  const response = await fetch(sandbox.inspectUrl);
  return ((await response.json()) as { counts: unknown }).counts;
}

/**
 * Counts once the sandbox's own start-up work (seeded events delivered to
 * Beacon's intake, documents issued) has finished: three equal reads in a row.
 */
export async function settledCounts(sandbox: { inspectUrl: string }): Promise<unknown> {
  let last = JSON.stringify(await inspectCounts(sandbox));
  let stable = 0;
  for (let round = 0; round < 100 && stable < 3; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = JSON.stringify(await inspectCounts(sandbox));
    stable = next === last ? stable + 1 : 0;
    last = next;
  }
  return JSON.parse(last) as unknown;
}
