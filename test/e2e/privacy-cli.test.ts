import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acknowledgeIncident } from '../../src/app/acknowledge-incident';
import { addIncidentNote } from '../../src/app/add-incident-note';
import { contentHash, GENESIS_HASH, linkHash, type StoredContent } from '../../src/core/audit/audit-hash';
import { openStore } from '../../src/composition/open-store';
import { testDatabase, type TestDatabase } from '../helpers/test-database';
import { runCli } from '../helpers/run-cli';
import { incident, insertIncidents } from '../integration/storage/contract/backends';

const KEY = 'e2e-audit-signing-key-0123456789abcdef';

const cli = runCli;

/** A store with Jonas's acknowledgement and note from January 2026, written by the real use-cases. */
async function seeded(database: TestDatabase) {
  const store = await openStore(database.url);
  const clock = { now: () => new Date('2026-01-05T09:00:00.000Z') };
  const deps = { store, clock, ticketing: { lanes: ['servicenow' as const], groupWait: 0, noteInterval: 0 } };
  const [inc] = await insertIncidents(store, incident('g1'));
  const jonas = {
    platform: 'slack' as const,
    userId: 'U0JONAS001',
    name: 'Jonas Weber',
    email: 'jonas.weber@example.com',
  };
  await acknowledgeIncident(deps, jonas, inc!.id);
  await addIncidentNote(deps, jonas, inc!.id, 'Customer Müller called');
  await store.close();
}

describe('purge, export-person and the anchored audit chain from the CLI', () => {
  it('exports, purges (dry and real), and verifies the chain against its signed heads; a rewritten chain fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itsm-privacy-cli-'));
    writeFileSync(join(dir, 'itsm-bridge.yaml'), 'audit:\n  anchor:\n    file: ./anchors/heads.jsonl\n');
    const database = await testDatabase(dir, 'db.sqlite');
    await seeded(database);
    const env = {
      DATABASE_URL: database.url,
      AUDIT_SIGNING_KEY: KEY,
      LOG_LEVEL: 'info',
    };

    const anchored = await cli(['audit', 'anchor'], env, dir);
    expect(anchored).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^signed head: seq 2, hash [0-9a-f]{64}\n$/),
    });
    expect(anchored.stderr).toContain('"msg":"audit chain head signed"');
    expect(anchored.stderr).not.toContain(KEY);
    expect(
      readFileSync(join(dir, 'anchors', 'heads.jsonl'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(1);

    const exported = await cli(['export-person', 'jonas.weber@example.com'], env, dir);
    expect(exported.code).toBe(0);
    const person = JSON.parse(exported.stdout);
    expect(person.identifiers.ids).toEqual(['slack:U0JONAS001']);
    expect(person.stored.timeline.map((e: { type: string }) => e.type)).toEqual(['acknowledged', 'note']);
    const refused = await cli(['export-person', 'Jonas'], env, dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('neither an e-mail address nor a chat id');

    const dry = await cli(['purge', '--before', '2026-02-01', '--dry-run'], env, dir);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /^dry run, nothing changed; would purge:\n {2}alertPayloads +0\n {2}timelineEntries +2\n/,
    );
    const unchanged = JSON.parse((await cli(['export-person', 'slack:U0JONAS001'], env, dir)).stdout);
    expect(unchanged.stored).toEqual(person.stored);
    const purged = await cli(['purge', '--before', '2026-02-01'], env, dir);
    expect(purged.stdout).toMatch(
      /^purged:\n {2}alertPayloads +0\n {2}timelineEntries +2\n {2}auditEntries +2\n {2}acknowledgements +1\n/,
    );
    const after = JSON.parse((await cli(['export-person', 'slack:U0JONAS001'], env, dir)).stdout);
    expect(after.stored.timeline).toEqual([]);
    expect(JSON.stringify(after)).not.toContain('Müller');

    const bad = await cli(['purge', '--before', 'last tuesday'], env, dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--before: "last tuesday" is not a date');

    const verify = await cli(['audit', 'verify'], env, dir);
    expect(verify).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /^audit log OK: 3 entries, head [0-9a-f]{64}, 1 signed head\(s\) checked\n$/,
      ),
    });

    // Someone with write access to the file changes the first entry and recomputes every hash.
    type Row = StoredContent & { seq: number; salt: string | null };
    let prev = GENESIS_HASH;
    const rows = await database.query(
      'SELECT seq, at, actor, action, subject, data, salt FROM audit_log ORDER BY seq',
    );
    for (const row of rows) {
      const r: Row = {
        seq: Number(row.seq),
        at: String(row.at),
        actor: String(row.actor),
        action: String(row.action),
        subject: String(row.subject),
        data: String(row.data),
        salt: row.salt === null ? null : String(row.salt),
      };
      const salt = r.salt ?? 'forged';
      const actor = r.seq === 1 ? 'slack:UMALLORY' : r.actor;
      const content = contentHash({ salt, actor, data: r.data });
      const hash = linkHash({ ...r, contentHash: content, prevHash: prev });
      await database.query(
        'UPDATE audit_log SET actor = ?, salt = ?, purged_at = NULL, content_hash = ?, prev_hash = ?, hash = ? WHERE seq = ?',
        actor,
        salt,
        content,
        prev,
        hash,
        r.seq,
      );
      prev = hash;
    }
    const rewritten = await cli(['audit', 'verify'], env, dir);
    expect(rewritten.code).toBe(1);
    expect(rewritten.stderr).toContain('BROKEN at entry 2: entry 2 does not match anchor #1 (seq 2, signed ');
    const { AUDIT_SIGNING_KEY: _key, ...noKey } = env;
    const withoutKey = await cli(['audit', 'verify'], noKey, dir);
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.stderr).toContain('AUDIT_SIGNING_KEY is not set');
    await database.drop();
  }, 60_000);
});
