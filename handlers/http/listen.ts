import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendError } from './respond';
import type { Mount } from './server';

/** Connection-level limits against slow or many clients (`server.*` in the config). */
export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxConnections: number;
}

const DEFAULT_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 1024,
};

/**
 * Listens before the app is wired: the sandbox and the ticket adapters need the server's own URL (with
 * PORT=0 the port is known only now). Until `serve` installs the app's handler only `early` mounts
 * answer (the sandbox emulators, which the chat apps call while they start); every other request gets
 * a 503 with Retry-After (monitoring retries it), never a hang or a 404.
 */
export async function listenStarting(
  port: number,
  host: string,
  early: Mount[] = [],
  limits: ServerLimits = DEFAULT_LIMITS,
): Promise<{ server: Server; url: string }> {
  const starting = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    for (const m of early) if (await m(req, res, url)) return;
    sendError(res, 503, 'starting', 'itsm-bridge is starting; retry shortly', {
      headers: { 'retry-after': '1' },
    });
  };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks the two timeouts above only this often (30 s by default).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (req, res) => {
      starting(req, res).catch(() => res.destroy());
    },
  );
  server.keepAliveTimeout = 65_000;
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`;
  return { server, url };
}

/** Replaces the "starting" answer with the app's handler. */
export function serve(server: Server, handler: RequestListener): void {
  server.removeAllListeners('request');
  server.on('request', handler);
}
