import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig, formatProblems } from '../config/load-config';
import { verifyAudit } from '../app/verify-audit';
import { openSqliteStore } from '../../integrations/storage/sqlite/open-sqlite-store';

async function openStore() {
  const loaded = loadConfig();
  if (!loaded.ok) throw new Error(`configuration problems:\n${formatProblems(loaded.problems)}`);
  return openSqliteStore(loaded.value.env.DATABASE_URL);
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('recompute the chain; exit 1 at the first broken entry')
    .action(async () => {
      const store = await openStore();
      try {
        const v = await verifyAudit(store);
        if (v.ok) process.stdout.write(`audit log OK: ${v.entries} entries, head ${v.head}\n`);
        else {
          process.stderr.write(
            `audit log BROKEN at entry ${v.brokenAt}: ${v.reason} (${v.entries} entries verified before it)\n`,
          );
          process.exitCode = 1;
        }
      } finally {
        await store.close();
      }
    });
  audit
    .command('export')
    .description('write the audit log as JSON Lines (for the auditor)')
    .option('--out <file>', 'file to write (default stdout)')
    .action(async (o: { out?: string }) => {
      const store = await openStore();
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      try {
        for await (const e of store.audit.entries()) out.write(`${JSON.stringify(e)}\n`);
      } finally {
        if (o.out) out.end();
        await store.close();
      }
    });
}
