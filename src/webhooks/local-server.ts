/**
 * A loopback-only HTTP server that routes exact paths to handlers; the
 * webhook receiver and the checkout return callback share one.
 */
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface LocalServer {
  port: number;
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 (never a public interface). */
export async function startLocalServer(port = 0): Promise<LocalServer> {
  const routes = new Map<string, Handler>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const handler = routes.get(path);
    if (!handler) {
      req.resume();
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    Promise.resolve(handler(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    origin: `http://127.0.0.1:${actual}`,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
