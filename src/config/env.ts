import { existsSync } from 'node:fs';
import { z } from 'zod';
import { AlertSource } from '../core/alert/alert';
import { Secret } from './secret';

const optionalSecret = z
  .string()
  .optional()
  .transform((v) => (v ? new Secret(v) : undefined));

/** Environment variables we read. This module (with load-config) is the only place that touches process.env. */
export const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/itsm-bridge.sqlite')
    .refine(
      (v) => v.startsWith('sqlite:') || v.startsWith('postgres://') || v.startsWith('postgresql://'),
      'use sqlite:<path> or postgres://…',
    ),
  ITSM_CONFIG: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** `auto`: human-readable when stdout is a terminal, JSON lines otherwise (systemd, Docker, files). */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /**
   * Graceful shutdown (SIGTERM/SIGINT): how long in-flight requests and remote calls may take before
   * the process exits anyway. Nothing acknowledged is lost either way (it is committed before the 202).
   */
  SHUTDOWN_DEADLINE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  /**
   * Several instances: how long the leader's lease lasts without renewal (renewed every third of it).
   * Shorter moves the leader-only jobs sooner after the leader dies; a leader stalled for longer than
   * two thirds of it (a long GC pause, a slow database) hands them over (docs/high-availability.md).
   */
  LEADER_LEASE_SECONDS: z.coerce.number().min(3).max(600).default(30),
  WEBHOOK_TOKEN: optionalSecret,
  API_TOKEN: optionalSecret,
  /** SQLite durability: NORMAL survives process crashes (our guarantee); FULL also survives power loss. */
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /** How long a write waits for a lock held by another process before the webhook answers 503. */
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
  /** Slack app: bot token (xoxb-…) and signing secret. Both unset → the Slack sandbox emulator. */
  SLACK_BOT_TOKEN: optionalSecret,
  SLACK_SIGNING_SECRET: optionalSecret,
  /** App-level token (xapp-…) for Socket Mode (sites without inbound HTTP). */
  SLACK_APP_TOKEN: optionalSecret,
  /** Teams two-way bot (Microsoft 365 Agents SDK): Entra app id, secret and tenant. */
  TEAMS_APP_ID: z.string().optional(),
  TEAMS_APP_PASSWORD: optionalSecret,
  TEAMS_TENANT_ID: z.string().optional(),
  /** Teams notify-only: the Workflows "When a Teams webhook request is received" URL (a secret). */
  TEAMS_WORKFLOW_URL: optionalSecret,
  /** Signs the audit chain heads (HMAC-SHA256); at least 32 characters, e.g. `openssl rand -hex 32`. */
  AUDIT_SIGNING_KEY: z
    .string()
    .min(32, 'at least 32 characters (openssl rand -hex 32)')
    .optional()
    .transform((v) => (v ? new Secret(v) : undefined)),
  /**
   * The shared sandbox (`itsm-bridge sandbox`), e.g. `http://127.0.0.1:4010`: the systems without a URL
   * or token use its emulators instead of mounting their own, so that several instances share them.
   */
  SANDBOX_URL: z
    .string()
    .url('an http(s) URL such as http://127.0.0.1:4010')
    .refine((v) => /^https?:\/\//i.test(v), 'an http(s) URL such as http://127.0.0.1:4010')
    .optional(),
  /** `production` refuses an anonymous Teams bot (no TEAMS_APP_ID): the Agents SDK's own rule. */
  NODE_ENV: z.string().optional(),
  /**
   * `1`: start even though a sandbox (or a published secret) is active while HOST is not loopback or
   * NODE_ENV=production (src/config/sandbox-exposure.ts); logged as a warning at every start.
   */
  ITSM_BRIDGE_ALLOW_INSECURE_SANDBOX: z
    .enum(['', '0', '1', 'true', 'false'], { message: 'use 1 to allow, 0 or unset to refuse' })
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});
export type Env = z.infer<typeof Env>;

/**
 * DATABASE_URL as it may be logged: the password in `user:password@` replaced by `***`
 * (`postgres://bridge:***@db:5432/itsm`); URLs without userinfo (`sqlite:…`) unchanged.
 */
export function databaseUrlForLog(url: string): string {
  // Not `new URL`: a malformed URL (a raw `/` or `@` in the password) must not escape unredacted, so
  // everything up to the last `@` goes; cutting too much of a log line is harmless.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):.*@/is, '$1:***@');
}

/** WEBHOOK_TOKEN_<SOURCE> for each source, falling back to WEBHOOK_TOKEN. */
export function sourceTokens(
  env: NodeJS.ProcessEnv,
  fallback: Secret | undefined,
): Partial<Record<AlertSource, Secret>> {
  const out: Partial<Record<AlertSource, Secret>> = {};
  for (const source of AlertSource.options) {
    const v = env[`WEBHOOK_TOKEN_${source.toUpperCase()}`];
    const token = v ? new Secret(v) : fallback;
    if (token) out[source] = token;
  }
  return out;
}

/** What the `alert` CLI command needs: where the bridge is and the token for the generic source. */
export function alertCliEnv(env: NodeJS.ProcessEnv = process.env): {
  url: string;
  token: string | undefined;
} {
  return {
    url: env.ITSM_URL ?? `http://${env.HOST ?? '127.0.0.1'}:${env.PORT ?? '3000'}`,
    token: env.ITSM_TOKEN ?? env.WEBHOOK_TOKEN_GENERIC ?? env.WEBHOOK_TOKEN,
  };
}

/**
 * Loads `.env` from the working directory into the environment when it exists (Node's own parser);
 * variables already set win, as with every dotenv tool.
 */
export function loadDotEnv(file = '.env'): void {
  if (!existsSync(file)) return;
  process.loadEnvFile(file);
}
