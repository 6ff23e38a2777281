import type { Command } from 'commander';
import { cutoffsBefore, purgePersonalData, retentionCutoffs } from '../app/purge-personal-data';
import { systemClock } from '../../integrations/clock/system-clock';
import { loadedConfig, openConfiguredStore } from './audit';

/** `2026-06-01` (midnight UTC) or an ISO instant; null when it is neither. */
export function parseBefore(text: string): Date | null {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(iso)) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * `itsm-bridge purge [--before <date>] [--dry-run]`: personal data past retention removed or
 * pseudonymised now (what the daily job does), or everything before one date.
 */
export function registerPurgeCommand(program: Command): void {
  program
    .command('purge')
    .description('remove or pseudonymise personal data past retention (docs/privacy.md)')
    .option('--before <date>', 'purge every kind of personal data older than this (YYYY-MM-DD or ISO time)')
    .option('--dry-run', 'count what would change; change nothing')
    .action(async (o: { before?: string; dryRun?: boolean }) => {
      const now = systemClock.now();
      const before = o.before === undefined ? null : parseBefore(o.before);
      if (o.before !== undefined && !before)
        throw new Error(`--before: "${o.before}" is not a date; use YYYY-MM-DD or an ISO time`);
      if (before && before.getTime() > now.getTime())
        throw new Error(`--before: ${o.before} is in the future; nothing can be older than that yet`);
      const loaded = loadedConfig();
      const store = await openConfiguredStore(loaded);
      try {
        const r = await purgePersonalData(
          { store, clock: systemClock },
          {
            cutoffs: before ? cutoffsBefore(before) : retentionCutoffs(now, loaded.config.retention),
            dryRun: o.dryRun === true,
            actor: 'cli:purge',
          },
        );
        const lines = Object.entries(r.counts).map(([k, n]) => `  ${k.padEnd(20)} ${n}`);
        process.stdout.write(
          `${r.dryRun ? 'dry run, nothing changed; would purge' : 'purged'}:\n${lines.join('\n')}\n` +
            `cutoffs: ${JSON.stringify(r.cutoffs)}\n`,
        );
      } finally {
        await store.close();
      }
    });
}
