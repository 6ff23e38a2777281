import type { Command } from 'commander';
import { formatProblems, loadConfig } from '../config/load-config';
import { openStore } from '../composition/open-store';

/** `itsm-bridge replay [--id N]`: parked outbox commands back to pending, after the cause is fixed. */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('re-queue parked outbox commands (after fixing the config or the remote side)')
    .option('--id <n>', 'only this command (see "outbox" in GET /api/incidents/:id)', (v) => Number(v))
    .action(async (o: { id?: number }) => {
      const loaded = loadConfig();
      if (!loaded.ok) {
        process.stderr.write(`configuration problems:\n${formatProblems(loaded.problems)}\n`);
        process.exitCode = 1;
        return;
      }
      const store = await openStore(loaded.value.env.DATABASE_URL);
      try {
        const now = new Date().toISOString();
        const n = await store.unitOfWork(async (uow) => {
          const count = await uow.outbox.replayParked(now, o.id);
          if (count > 0)
            await uow.audit.append({
              at: now,
              actor: 'cli:replay',
              action: 'outbox.replayed',
              subject: o.id ? `command:${o.id}` : 'outbox',
              data: { commands: count },
            });
          return count;
        });
        process.stdout.write(
          `${n} parked command(s) re-queued; the running server picks them up within its poll interval\n`,
        );
        if (o.id !== undefined && n === 0) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
