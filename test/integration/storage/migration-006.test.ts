import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { migrationProvider } from '../../../integrations/storage/migrations';
import { openSqliteStore } from '../../../integrations/storage/sqlite/open-sqlite-store';

describe('migration 006 (reported flapping, member count)', () => {
  it('counts the members of incidents that existed before it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'itsm-mig-')), 'old.sqlite');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path) }) });
    const migrator = new Migrator({ db, provider: migrationProvider });
    expect((await migrator.migrateTo('004-handoffs')).error).toBeUndefined();
    const at = '2026-11-02T08:00:00.000Z';
    await sql`INSERT INTO incidents (key, group_key, state, title, source, severity, provider, rule, impact,
      urgency, priority, opened_at, updated_at, last_alert_at, firing_count, alert_count, flapping, reopen_count,
      tickets) VALUES ('ib-1', 'g', 'open', 't', 'generic', 'major', 'infra', 'default', 3, 2, 4, ${at}, ${at},
      ${at}, 2, 9, 1, 0, '{}')`.execute(db);
    for (const key of ['a', 'b', 'c'])
      await sql`INSERT INTO incident_alerts (incident_id, dedup_key, status, severity, summary, first_seen_at,
        last_seen_at, last_change_at, occurrences, flap_changes) VALUES (1, ${key}, 'firing', 'major', 's', ${at},
        ${at}, ${at}, 3, '[]')`.execute(db);
    await db.destroy();

    const store = await openSqliteStore(`sqlite:${path}`);
    await store.migrate();
    expect(await store.incidents.get(1)).toMatchObject({
      alertCount: 9,
      memberCount: 3,
      flapping: true,
      flappingReported: false,
    });
    await store.close();
  });
});
