import { createWriteStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, formatProblems, type LoadedConfig } from '../config/load-config';
import { verifyAudit, type AnchorCheck } from '../app/verify-audit';
import { anchorAudit } from '../app/anchor-audit';
import { anchorFile } from '../composition/wire-privacy';
import { systemClock } from '../../integrations/clock/system-clock';
import { jsonLogger } from '../../integrations/logging/json-logger';
import { AnchorFile } from '../../integrations/anchors/anchor-file';
import { openStore } from '../composition/open-store';

/** The configuration, or an error listing its problems. */
export function loadedConfig(): LoadedConfig {
  const loaded = loadConfig();
  if (!loaded.ok) throw new Error(`configuration problems:\n${formatProblems(loaded.problems)}`);
  return loaded.value;
}

/** The configured store, migrated. */
export const openConfiguredStore = (loaded: LoadedConfig = loadedConfig()) =>
  openStore(loaded.env.DATABASE_URL);

/**
 * The signed heads to check: `--anchors <file>` (must exist), else the configured file when it exists
 * (a fresh install has none yet). Reading anchors needs the key they were signed with.
 */
async function anchorCheck(loaded: LoadedConfig, explicit: string | undefined): Promise<AnchorCheck | null> {
  if (explicit && !existsSync(resolve(explicit))) throw new Error(`anchor file ${explicit} does not exist`);
  const file = explicit ? new AnchorFile(resolve(explicit)) : anchorFile(loaded.config);
  if (!file) return null;
  const anchors = await file.all();
  if (anchors.length === 0) {
    process.stderr.write(`no signed heads in ${file.path}: checking the chain alone\n`);
    return null;
  }
  const key = loaded.env.AUDIT_SIGNING_KEY;
  if (!key) throw new Error(`AUDIT_SIGNING_KEY is not set: cannot check the signed heads in ${file.path}`);
  return { anchors, key: key.reveal() };
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('recompute the chain and check it against the signed heads; exit 1 at the first break')
    .option('--anchors <file>', 'signed heads to check (default: audit.anchor.file)')
    .action(async (o: { anchors?: string }) => {
      const loaded = loadedConfig();
      const check = await anchorCheck(loaded, o.anchors);
      const store = await openConfiguredStore(loaded);
      try {
        const v = await verifyAudit(store, check ?? undefined);
        if (v.ok)
          process.stdout.write(
            `audit log OK: ${v.entries} entries, head ${v.head}, ${v.anchors} signed head(s) checked\n`,
          );
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
    .command('anchor')
    .description('sign the chain head now and write it to the log and audit.anchor.file')
    .action(async () => {
      const loaded = loadedConfig();
      const key = loaded.env.AUDIT_SIGNING_KEY;
      if (!key) throw new Error('AUDIT_SIGNING_KEY is not set: nothing to sign with');
      const store = await openConfiguredStore(loaded);
      try {
        const signed = await anchorAudit(
          {
            audit: store.audit,
            anchors: anchorFile(loaded.config),
            key: key.reveal(),
            clock: systemClock,
            logger: jsonLogger({ clock: systemClock, level: loaded.env.LOG_LEVEL }),
            interval: loaded.config.audit.anchor.interval,
          },
          { force: true },
        );
        process.stdout.write(
          signed
            ? `signed head: seq ${signed.seq}, hash ${signed.hash}\n`
            : 'nothing to sign (empty log or head already signed)\n',
        );
      } finally {
        await store.close();
      }
    });
  audit
    .command('export')
    .description('write the audit log as JSON Lines (for the auditor)')
    .option('--out <file>', 'file to write (default stdout)')
    .action(async (o: { out?: string }) => {
      const store = await openConfiguredStore();
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      try {
        for await (const e of store.audit.entries()) out.write(`${JSON.stringify(e)}\n`);
      } finally {
        if (o.out) out.end();
        await store.close();
      }
    });
}
