import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { GENESIS_HASH, legacyAuditHash } from '../../../src/core/audit/audit-hash';
import { verifyAudit } from '../../../src/app/verify-audit';
import { migrations } from '../../../integrations/storage/migrations';
import { openSqliteStore } from '../../../integrations/storage/sqlite/open-sqlite-store';

/** A store file as the version before migration 005 left it: three entries in the first chain format. */
async function legacyFile(tamper?: string): Promise<{ path: string; heads: string[] }> {
  const path = join(mkdtempSync(join(tmpdir(), 'itsm-audit-mig-')), 'a.sqlite');
  const raw = new BetterSqlite3(path);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '005'));
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => before },
  }).migrateToLatest();
  if (error) throw error;
  let prev = GENESIS_HASH;
  const heads: string[] = [];
  for (let seq = 1; seq <= 3; seq++) {
    const row = {
      seq,
      at: `2026-10-0${seq}T08:00:00.000Z`,
      actor: 'slack:U0JONAS001',
      action: 'incident.note',
      subject: `incident:${seq}`,
      data: JSON.stringify({ name: 'Jonas Weber', note: `note ${seq}` }),
      prevHash: prev,
    };
    const hash = legacyAuditHash(row);
    raw
      .prepare(
        'INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(row.seq, row.at, row.actor, row.action, row.subject, row.data, row.prevHash, hash);
    heads.push(hash);
    prev = hash;
  }
  if (tamper) raw.exec(tamper);
  await db.destroy();
  return { path, heads };
}

describe('migration 005: the audit chain links content hashes', () => {
  it('re-links entries of the first format so they verify, keeping their old hashes', async () => {
    const { path, heads } = await legacyFile();
    const store = await openSqliteStore(`sqlite:${path}`);
    try {
      expect(await verifyAudit(store)).toMatchObject({ ok: true, entries: 3 });
      const legacy: (string | null)[] = [];
      for await (const e of store.audit.entries()) legacy.push(e.legacyHash);
      // The head an auditor noted before the upgrade is still the last entry's legacy hash.
      expect(legacy).toEqual(heads);
      await store.unitOfWork((uow) =>
        uow.audit.append({
          at: '2026-12-01T08:00:00.000Z',
          actor: 'job',
          action: 'x',
          subject: 's',
          data: {},
        }),
      );
      expect(await verifyAudit(store)).toMatchObject({ ok: true, entries: 4 });
    } finally {
      await store.close();
    }
  });

  it('still finds an entry edited before the upgrade, through its old hash', async () => {
    const { path } = await legacyFile(`UPDATE audit_log SET actor = 'slack:UMALLORY' WHERE seq = 2`);
    const store = await openSqliteStore(`sqlite:${path}`);
    try {
      expect(await verifyAudit(store)).toMatchObject({
        ok: false,
        brokenAt: 2,
        reason: expect.stringContaining('before migration 005'),
      });
    } finally {
      await store.close();
    }
  });

  it('still finds an entry deleted before the upgrade', async () => {
    const { path } = await legacyFile('DELETE FROM audit_log WHERE seq = 2');
    const store = await openSqliteStore(`sqlite:${path}`);
    try {
      expect(await verifyAudit(store)).toMatchObject({ ok: false, brokenAt: 2 });
    } finally {
      await store.close();
    }
  });
});
