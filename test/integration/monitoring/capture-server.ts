import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the capture server saw it. */
export interface CapturedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** A canned answer; the server plays them in order and repeats the last one. */
export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A local node:http server that records every request, standing in for itsm-bridge. */
export interface CaptureServer {
  url: string;
  requests: CapturedRequest[];
  respondWith(...responses: CannedResponse[]): void;
  close(): Promise<void>;
}

const ACCEPTED: CannedResponse = {
  status: 202,
  body: '{"accepted":1,"alerts":["01J0000000000000000000000"]}',
};

export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  let queue: CannedResponse[] = [ACCEPTED];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      });
      const answer = (queue.length > 1 ? queue.shift() : queue[0]) ?? ACCEPTED;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith: (...responses) => {
      queue = responses;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Result of running a script as a child process. */
export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a script asynchronously (a synchronous spawn would block the capture server
 * living in this same process) with a clean environment plus `env`.
 */
export function runScript(
  file: string,
  args: string[],
  env: Record<string, string>,
  stdin?: string | Buffer,
): Promise<ScriptResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONDONTWRITEBYTECODE: '1', ...env },
        timeout: 20000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    // A script that exits early (usage error) closes its stdin; that is not a test failure.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(stdin ?? '');
  });
}
