import type { Command } from 'commander';
import { alertCliEnv } from '../config/env';

interface AlertOpts {
  dedupKey: string;
  summary: string;
  severity: string;
  host?: string;
  service?: string;
  branch?: string;
  details?: string;
  label: string[];
  resolve?: boolean;
  url?: string;
}

/** Exit codes for scripts: 0 accepted, 1 temporary (retry later), 2 permanent (fix the call). */
export function registerAlertCommand(program: Command): void {
  program
    .command('alert')
    .description(
      'send one alert to /webhooks/generic (for shell scripts); token from ITSM_TOKEN or WEBHOOK_TOKEN',
    )
    .requiredOption('--dedup-key <key>', 'stable key of the problem, the same for firing and resolve')
    .requiredOption('--summary <text>', 'one line: what is wrong')
    .option('--severity <level>', 'critical|major|minor|warning|info', 'warning')
    .option('--host <name>')
    .option('--service <name>')
    .option('--branch <name>')
    .option('--details <text>')
    .option('--label <name=value>', 'extra label (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--resolve', 'the problem is over')
    .option('--url <base>', 'bridge base URL (default ITSM_URL or http://127.0.0.1:3000)')
    .action(async (o: AlertOpts) => {
      const env = alertCliEnv();
      if (!env.token) {
        process.stderr.write('no token: set ITSM_TOKEN (or WEBHOOK_TOKEN_GENERIC / WEBHOOK_TOKEN)\n');
        process.exitCode = 2;
        return;
      }
      const labels: Record<string, string> = {};
      for (const l of o.label) {
        const i = l.indexOf('=');
        if (i < 1) {
          process.stderr.write(`--label "${l}" must be name=value\n`);
          process.exitCode = 2;
          return;
        }
        labels[l.slice(0, i)] = l.slice(i + 1);
      }
      const body = {
        dedupKey: o.dedupKey,
        status: o.resolve ? 'resolved' : 'firing',
        severity: o.severity,
        summary: o.summary,
        ...(o.host ? { host: o.host } : {}),
        ...(o.service ? { service: o.service } : {}),
        ...(o.branch ? { branch: o.branch } : {}),
        ...(o.details ? { details: o.details } : {}),
        ...(Object.keys(labels).length ? { labels } : {}),
      };
      const base = (o.url ?? env.url).replace(/\/$/, '');
      try {
        const res = await fetch(`${base}/webhooks/generic`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${env.token}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        if (res.status === 202) {
          process.stdout.write(`${text}\n`);
          return;
        }
        process.stderr.write(`itsm-bridge answered ${res.status}: ${text}\n`);
        process.exitCode = res.status >= 500 ? 1 : 2;
      } catch (err) {
        process.stderr.write(`could not reach ${base}: ${(err as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
