import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { AppConfig } from './app-config';
import { Env, sourceTokens } from './env';
import { keysAt, suggest } from './schema-keys';

/** One configuration problem, with where it is and what to do about it. */
export interface ConfigProblem {
  path: string;
  message: string;
  hint?: string;
}

export interface LoadedConfig {
  file: string;
  config: AppConfig;
  env: Env;
  tokens: ReturnType<typeof sourceTokens>;
}

export type LoadResult =
  { ok: true; value: LoadedConfig } | { ok: false; file: string; problems: ConfigProblem[] };

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces `${NAME}` / `${NAME:-default}` in every string; unset variables become problems, not empty strings. */
function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: string[],
  problems: ConfigProblem[],
): unknown {
  if (typeof value === 'string') {
    return value.replace(VAR, (_m, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      problems.push({
        path: path.join('.'),
        message: `environment variable ${name} is not set`,
        hint: `set ${name} in the environment or .env (see .env.example)`,
      });
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, [...path, String(i)], problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolate(v, env, [...path, k], problems)]),
    );
  }
  return value;
}

function zodProblems(schema: z.core.$ZodType, error: z.ZodError, prefix = ''): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const path = prefix + issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(schema, issue.path);
      for (const key of issue.keys) {
        const guess = suggest(key, known);
        out.push({
          path: path ? `${path}.${key}` : key,
          message: 'unknown key',
          hint: guess ? `did you mean "${guess}"?` : `allowed here: ${known.join(', ')}`,
        });
      }
    } else {
      out.push({ path: path || '(root)', message: issue.message });
    }
  }
  return out;
}

/** Which file we read: ITSM_CONFIG, else ./itsm-bridge.yaml, else the shipped example. */
export function configPath(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (explicit) return resolve(cwd, explicit);
  if (env.ITSM_CONFIG) return resolve(cwd, env.ITSM_CONFIG);
  const own = resolve(cwd, 'itsm-bridge.yaml');
  return existsSync(own) ? own : resolve(cwd, 'itsm-bridge.example.yaml');
}

/**
 * Reads YAML + environment, interpolates secrets, validates with zod, and reports every problem at once
 * with its path and a hint. Never throws for bad input.
 */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): LoadResult {
  const envVars = opts.env ?? process.env;
  const file = configPath(opts.file, envVars, opts.cwd ?? process.cwd());
  const problems: ConfigProblem[] = [];
  let raw: unknown = {};
  if (existsSync(file)) {
    const doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
    for (const e of doc.errors)
      problems.push({
        path: `line ${e.linePos?.[0]?.line ?? '?'}`,
        message: e.message.split('\n')[0] ?? e.message,
      });
    raw = doc.toJS() ?? {};
  } else if (opts.file || envVars.ITSM_CONFIG) {
    problems.push({ path: file, message: 'config file not found' });
  }
  const interpolated = interpolate(raw, envVars, [], problems);
  const cfg = AppConfig.safeParse(interpolated);
  if (!cfg.success) problems.push(...zodProblems(AppConfig, cfg.error));
  const env = Env.safeParse(envVars);
  if (!env.success) problems.push(...zodProblems(Env, env.error, 'env.'));
  if (problems.length > 0 || !cfg.success || !env.success) return { ok: false, file, problems };
  return {
    ok: true,
    value: { file, config: cfg.data, env: env.data, tokens: sourceTokens(envVars, env.data.WEBHOOK_TOKEN) },
  };
}

/** Human-readable lines for check-config and start-up failures. */
export function formatProblems(problems: ConfigProblem[]): string {
  return problems.map((p) => `  ✗ ${p.path}: ${p.message}${p.hint ? ` — ${p.hint}` : ''}`).join('\n');
}
