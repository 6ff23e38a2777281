import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli.js');

/** A free TCP port on loopback (bind to 0, read it, release it). */
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

/** Runs `itsm-bridge serve` as a real child process and waits until it answers /healthz. */
export async function startChild(
  env: Record<string, string>,
  cwd: string,
): Promise<{ child: ChildProcess; output: () => string }> {
  let out = '';
  const child = spawn(process.execPath, [CLI, 'serve'], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const url = `http://127.0.0.1:${env.PORT}/healthz`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${out}`);
    try {
      if ((await fetch(url)).ok) return { child, output: () => out };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not come up: ${out}`);
}

export function waitExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );
}

/**
 * The environment of a child server on loopback with its own database and tokens (quiet log): a SQLite
 * file (`dbPath`) or any DATABASE_URL (`databaseUrl`, e.g. a test database's).
 */
export function childEnv(
  o: { port: number; webhookToken: string; apiToken: string } & (
    { dbPath: string } | { databaseUrl: string }
  ),
): Record<string, string> {
  return {
    PORT: String(o.port),
    HOST: '127.0.0.1',
    DATABASE_URL: 'databaseUrl' in o ? o.databaseUrl : `sqlite:${o.dbPath}`,
    WEBHOOK_TOKEN: o.webhookToken,
    API_TOKEN: o.apiToken,
    LOG_LEVEL: 'error',
  };
}

/**
 * Runs `itsm-bridge sandbox` (the shared emulators) as a real child process on `port` and waits until
 * its control API answers; `url` is what the bridges get as SANDBOX_URL.
 */
export async function startSandboxChild(
  port: number,
  cwd: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  let out = '';
  const child = spawn(process.execPath, [CLI, 'sandbox', '--port', String(port), ...args], {
    cwd,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`sandbox exited early: ${out}`);
    try {
      if ((await fetch(`${url}/sandbox/_control/tickets`)).ok) return { child, url, output: () => out };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`sandbox did not come up: ${out}`);
}
