import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DIST = join(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitHttp(url: string, child: ChildProcess, out: () => string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`process exited: ${out()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`not up: ${url}`);
}

export interface Proc {
  url: string;
  child: ChildProcess;
  dir: string;
  stop(): Promise<void>;
}

async function run(args: string[], env: Record<string, string>, cwd: string, probe: string): Promise<Proc> {
  let out = '';
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const url = `http://127.0.0.1:${env.PORT}`;
  await waitHttp(`${url}${probe}`, child, () => out);
  return {
    url,
    child,
    dir: cwd,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Starts `itsm-bridge serve` (built) in a temp dir with the given YAML, on its own SQLite file there
 * unless `databaseUrl` names another database (several instances on one PostgreSQL).
 */
export async function startBridge(
  yaml: string,
  token: string,
  extraEnv: Record<string, string> = {},
  opts: { databaseUrl?: string } = {},
): Promise<Proc & { dbPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-bench-'));
  writeFileSync(join(dir, 'itsm-bridge.yaml'), yaml);
  const dbPath = join(dir, 'bench.sqlite');
  const port = await freePort();
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: opts.databaseUrl ?? `sqlite:${dbPath}`,
    WEBHOOK_TOKEN: token,
    API_TOKEN: token,
    LOG_LEVEL: 'error',
    ...extraEnv,
  };
  const p = await run([join(DIST, 'src', 'cli.js'), 'serve'], env, dir, '/healthz');
  return { ...p, dbPath };
}

export async function startBare(): Promise<Proc> {
  const port = await freePort();
  return run([join(DIST, 'bench', 'lib', 'bare-server.js')], { PORT: String(port) }, tmpdir(), '/');
}

/** The ingest benchmark's ceiling: parse, map and the real SQLite inbox, nothing else (store-only-server.ts). */
export async function startStoreOnly(): Promise<Proc> {
  const port = await freePort();
  return run([join(DIST, 'bench', 'lib', 'store-only-server.js')], { PORT: String(port) }, tmpdir(), '/');
}
