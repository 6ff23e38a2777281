import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import type { AppConfig } from '../../src/config/app-config';
import { startApp, type RunningApp } from '../../src/main';
import type { Clock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';
import type { RemoteChangeSink } from '../../src/core/sync/remote-change';
import { testDatabase, type TestDatabase } from './test-database';

export const WEBHOOK_TOKEN = 'test-webhook-token-0123456789';
export const API_TOKEN = 'test-api-token-0123456789';
/** Basic auth for the ServiceNow and Jira sandboxes (their built-in sandbox accounts). */
export const SN_AUTH = `Basic ${Buffer.from('itsm.bridge:sandbox').toString('base64')}`;
export const JIRA_AUTH = `Basic ${Buffer.from('itsm-bridge@example.com:sandbox').toString('base64')}`;

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private t = Date.parse('2026-11-02T08:00:00Z')) {}
  now() {
    return new Date(this.t);
  }
  advance(seconds: number) {
    this.t += seconds * 1000;
  }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const consoleLogger: Logger = {
  debug: (m, f) => (process.env.TEST_LOG === 'debug' ? console.log('DEBUG', m, f ?? '') : undefined),
  info: (m, f) => console.log('INFO', m, f ?? ''),
  warn: (m, f) => console.log('WARN', m, f ?? ''),
  error: (m, f) => console.log('ERROR', m, f ?? ''),
};

export interface TestApp extends RunningApp {
  dir: string;
  /** Closes the app and leaves its database in place, for a restart with `{ database: app.database }`. */
  stop(): Promise<void>;
  /** The SQLite file (when `database` is SQLite). */
  dbPath: string;
  /** The test's database: SQLite, or PostgreSQL with `TEST_STORE=postgres`. */
  database: TestDatabase;
  post(
    source: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: any; headers: Headers }>;
  api(path: string): Promise<any>;
  /** Runs correlation until the inbox is empty. */
  settle(): Promise<void>;
  /** Correlation, then every due outbox command, `rounds` times (effects that queue further effects). */
  flush(rounds?: number): Promise<void>;
}

/**
 * Starts the real app (HTTP server, SQLite file or PostgreSQL schema, correlation loop) on an ephemeral
 * port in a temp dir.
 */
export async function startTestApp(
  opts: {
    yaml?: string;
    env?: Record<string, string>;
    clock?: Clock;
    logger?: Logger;
    /** Turns the ServiceNow reader on, handing what it reads here. */
    remoteChangeSink?: RemoteChangeSink;
    /**
     * The database of an app stopped before (a restart): the same SQLite file or PostgreSQL schema,
     * dropped by this app's `close()`. Default: a new one.
     */
    database?: TestDatabase;
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-test-'));
  const file = join(dir, 'itsm-bridge.yaml');
  writeFileSync(file, opts.yaml ?? '{}\n');
  const database = opts.database ?? (await testDatabase(dir));
  const dbPath = database.url.startsWith('sqlite:')
    ? database.url.slice('sqlite:'.length)
    : join(dir, 'test.sqlite');
  const loaded = loadConfig({
    file,
    cwd: dir,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      WEBHOOK_TOKEN,
      API_TOKEN,
      ...opts.env,
    },
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const app = await startApp({
    loaded: loaded.value,
    clock: opts.clock,
    // TEST_LOG=1 prints the app's log (debugging a failing test).
    logger: opts.logger ?? (process.env.TEST_LOG ? consoleLogger : silentLogger),
    correlationPollMs: 50,
    ...(opts.remoteChangeSink ? { remoteChangeSink: opts.remoteChangeSink } : {}),
  });
  const settle = async () => {
    for (;;) {
      app.correlation.wake();
      await app.correlation.idle();
      if ((await app.store.inbox.lag()).pending === 0) return;
    }
  };
  return {
    ...app,
    dir,
    dbPath,
    database,
    stop: () => app.close(),
    async close() {
      await app.close();
      await database.drop();
    },
    async post(source, body, headers = {}) {
      const res = await fetch(`${app.url}/webhooks/${source}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}`, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
    },
    async api(path) {
      const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
      return res.json();
    },
    settle,
    async flush(rounds = 3) {
      for (let i = 0; i < rounds; i++) {
        await settle();
        await app.outbox.drain();
      }
    },
  };
}

/** A config loaded from `yaml` in a new temp dir (for tests that wire use-cases without the app). */
export function loadTestConfig(yaml: string, prefix = 'itsm-config-'): { dir: string; config: AppConfig } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'itsm-bridge.yaml'), yaml);
  const loaded = loadConfig({
    file: join(dir, 'itsm-bridge.yaml'),
    cwd: dir,
    env: { DATABASE_URL: 'sqlite::memory:' },
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return { dir, config: loaded.value.config };
}
