import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { anchorAudit, type AnchorAuditDeps } from '../../../src/app/anchor-audit';
import { verifyAudit } from '../../../src/app/verify-audit';
import { GENESIS_HASH, contentHash, linkHash, type StoredContent } from '../../../src/core/audit/audit-hash';
import type { Store } from '../../../src/ports/store';
import { AnchorFile } from '../../../integrations/anchors/anchor-file';
import { jsonLogger } from '../../../integrations/logging/json-logger';
import { openSqliteStore } from '../../../integrations/storage/sqlite/open-sqlite-store';

const KEY = 'k'.repeat(40);
const START = Date.parse('2026-11-02T08:00:00.000Z');

async function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-anchor-'));
  const path = join(dir, 'a.sqlite');
  const store = await openSqliteStore(`sqlite:${path}`);
  const clock = { t: START, now: () => new Date(clock.t) };
  const lines: string[] = [];
  const file = new AnchorFile(join(dir, 'anchors', 'heads.jsonl'));
  const deps: AnchorAuditDeps = {
    audit: store.audit,
    anchors: file,
    key: KEY,
    clock,
    logger: jsonLogger({ clock, write: (l) => lines.push(l) }),
    interval: 3600,
  };
  return { store, path, clock, lines, file, deps };
}

const append = (store: Store, from: number, to: number) =>
  store.unitOfWork(async (uow) => {
    for (let i = from; i <= to; i++)
      await uow.audit.append({
        at: new Date(START + i * 60_000).toISOString(),
        actor: 'slack:U0JONAS001',
        action: 'incident.acknowledged',
        subject: `incident:${i}`,
        data: { name: 'Jonas Weber', i },
      });
  });

/**
 * What someone with write access to the file can do: change entry `seq` and recompute every content
 * and link hash from there on, so the chain alone looks untouched.
 */
function rewriteChain(path: string, seq: number, actor: string) {
  const raw = new BetterSqlite3(path);
  type Row = StoredContent & { seq: number; salt: string };
  const rows = raw
    .prepare('SELECT seq, at, actor, action, subject, data, salt FROM audit_log ORDER BY seq')
    .all() as Row[];
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const row = r.seq === seq ? { ...r, actor } : r;
    const content = contentHash(row);
    const hash = linkHash({ ...row, contentHash: content, prevHash: prev });
    raw
      .prepare('UPDATE audit_log SET actor = ?, content_hash = ?, prev_hash = ?, hash = ? WHERE seq = ?')
      .run(row.actor, content, prev, hash, row.seq);
    prev = hash;
  }
  raw.close();
}

describe('anchored audit chain', () => {
  it('signs the head when it moved and the interval passed, to the file and one info log line', async () => {
    const t = await setUp();
    try {
      expect(await anchorAudit(t.deps)).toBeNull(); // empty log: nothing to sign
      await append(t.store, 1, 3);
      const first = await anchorAudit(t.deps);
      expect(first).toMatchObject({ seq: 3, at: '2026-11-02T08:00:00.000Z', alg: 'HMAC-SHA256' });
      await append(t.store, 4, 5);
      t.clock.t += 59 * 60_000;
      expect(await anchorAudit(t.deps)).toBeNull(); // moved, but within the interval
      t.clock.t += 60_000;
      expect(await anchorAudit(t.deps)).toMatchObject({ seq: 5 });
      expect(await anchorAudit(t.deps)).toBeNull(); // not moved
      expect((await t.file.all()).map((a) => a.seq)).toEqual([3, 5]);
      const logged = t.lines.map((l) => JSON.parse(l));
      expect(logged.map((l) => [l.level, l.msg, l.anchor.seq])).toEqual([
        ['info', 'audit chain head signed', 3],
        ['info', 'audit chain head signed', 5],
      ]);
      expect(t.lines.join('')).not.toContain(KEY);
      expect(await verifyAudit(t.store, { anchors: await t.file.all(), key: KEY })).toEqual({
        ok: true,
        entries: 5,
        head: (await t.store.audit.head()).hash,
        anchors: 2,
      });
    } finally {
      await t.store.close();
    }
  });

  it('fails a chain rewritten with recomputed hashes, naming the first anchor it diverges from', async () => {
    const t = await setUp();
    try {
      await append(t.store, 1, 3);
      await anchorAudit(t.deps);
      await append(t.store, 4, 6);
      t.clock.t += 3600_000;
      await anchorAudit(t.deps);
      await append(t.store, 7, 7);
      rewriteChain(t.path, 2, 'slack:UMALLORY');
      // The rewrite is invisible to the chain alone …
      expect(await verifyAudit(t.store)).toMatchObject({ ok: true, entries: 7 });
      // … but not to the heads signed before it: the first one after the edit (seq 3) names it.
      expect(await verifyAudit(t.store, { anchors: await t.file.all(), key: KEY })).toEqual({
        ok: false,
        entries: 2,
        brokenAt: 3,
        reason:
          'entry 3 does not match anchor #1 (seq 3, signed 2026-11-02T08:00:00.000Z): the chain was rewritten after it was signed',
      });
    } finally {
      await t.store.close();
    }
  });

  it('fails when entries after an anchor were removed, and on an anchor edited or signed with another key', async () => {
    const t = await setUp();
    try {
      await append(t.store, 1, 4);
      await anchorAudit(t.deps);
      const anchors = await t.file.all();
      expect(await verifyAudit(t.store, { anchors, key: 'another key'.padEnd(40, '!') })).toMatchObject({
        ok: false,
        reason: expect.stringContaining(
          'anchor #1 (seq 4, signed 2026-11-02T08:00:00.000Z) has an invalid signature',
        ),
      });
      const edited = readFileSync(t.file.path, 'utf8').replace('"seq":4', '"seq":3');
      writeFileSync(t.file.path, edited);
      expect(await verifyAudit(t.store, { anchors: await t.file.all(), key: KEY })).toMatchObject({
        ok: false,
        reason: expect.stringContaining('invalid signature'),
      });
      const raw = new BetterSqlite3(t.path);
      raw.exec('DELETE FROM audit_log WHERE seq >= 3');
      raw.close();
      expect(await verifyAudit(t.store, { anchors, key: KEY })).toMatchObject({
        ok: false,
        entries: 2,
        brokenAt: 3,
        reason: expect.stringContaining('entries were removed'),
      });
    } finally {
      await t.store.close();
    }
  });

  it('names the line of an anchor file that is not a signed head', async () => {
    const t = await setUp();
    try {
      writeFileSync(t.file.path.replace('anchors/heads.jsonl', 'bad.jsonl'), '{"seq":1}\n');
      const bad = new AnchorFile(t.file.path.replace('anchors/heads.jsonl', 'bad.jsonl'));
      await expect(bad.all()).rejects.toThrow(/bad\.jsonl:1: hash: /);
    } finally {
      await t.store.close();
    }
  });
});
