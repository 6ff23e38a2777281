import type { Command } from 'commander';
import { systemClock } from '../../integrations/clock/system-clock';
import { jsonLogger } from '../../integrations/logging/json-logger';
import { alertCliEnv } from '../config/env';
import { loadedConfig, openConfiguredStore } from './audit';
import { parseBefore } from './purge';

/**
 * `itsm-bridge sync check [--since YYYY-MM-DD] [--repair]`: every linked ServiceNow/Jira pair opened
 * since then, its lifecycle against the mapping tables; with `--repair` the owner's side is written to
 * the other through the outbox (the running server sends it). Sandbox systems are reached on the
 * running server (ITSM_URL, or HOST:PORT). Exit code 1 when pairs drifted and were not repaired.
 */
export function registerSyncCommand(program: Command): void {
  const sync = program.command('sync').description('two-way ServiceNow ⇄ Jira sync');
  sync
    .command('check')
    .description('compare every linked pair against the mapping; report or repair the differences')
    .option('--since <date>', 'pairs opened on or after this day (YYYY-MM-DD; default 30 days ago)')
    .option('--repair', 'queue the writes that bring the pairs back in step')
    .action(async (o: { since?: string; repair?: boolean }) => {
      const now = systemClock.now();
      const since = o.since === undefined ? new Date(now.getTime() - 30 * 86400_000) : parseBefore(o.since);
      if (!since) throw new Error(`--since: "${o.since}" is not a date; use YYYY-MM-DD`);
      // The adapters (jira.js, openapi-fetch) load only for this command, not for every CLI start.
      const { createSandboxes, ticketLanes } =
        require('../composition/wire-ticketing') as typeof import('../composition/wire-ticketing');
      const { driftCheck } = require('../composition/wire-sync') as typeof import('../composition/wire-sync');
      const loaded = loadedConfig();
      const { config, env } = loaded;
      const store = await openConfiguredStore(loaded);
      const logger = jsonLogger({ clock: systemClock, level: env.LOG_LEVEL });
      try {
        const { systems, attachments } = ticketLanes({
          config,
          store,
          clock: systemClock,
          logger,
          url: config.server.publicUrl ?? alertCliEnv().url,
          runbooks: [],
          sandbox: createSandboxes(config),
        });
        const report = await driftCheck({ store, clock: systemClock, config, systems, attachments })({
          since: since.toISOString(),
          repair: o.repair === true,
        });
        for (const d of report.drifted)
          process.stdout.write(
            `${d.repaired ? 'repaired' : d.queuedBefore ? 'queued  ' : 'drifted '} incident ${d.incidentId}: ${d.problem}${d.queuedBefore ? ' (repair queued by an earlier run)' : ''}\n`,
          );
        const left = report.drifted.filter((d) => !d.repaired && !d.queuedBefore).length;
        const pairs = new Set(report.drifted.map((d) => d.incidentId)).size;
        const kinds = (['state', 'comment', 'attachment'] as const)
          .map((k) => `${k} ${report.drifted.filter((d) => d.kind === k).length}`)
          .join(', ');
        process.stdout.write(
          `${report.pairs} linked pair(s) checked, ${pairs} drifted, ${report.drifted.length - left} repaired (differences: ${kinds})\n`,
        );
        if (report.contentSkipped > 0)
          process.stdout.write(
            `${report.contentSkipped} pair(s) not compared for comments and attachments: the request budget (sync.checkRequests) was spent\n`,
          );
        if (left > 0) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
