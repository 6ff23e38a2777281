import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { verifyAudit } from '../../../src/app/verify-audit';
import { openSqliteStore } from '../../../integrations/storage/sqlite/open-sqlite-store';

async function storeWithEntries(n: number) {
  const path = join(mkdtempSync(join(tmpdir(), 'itsm-audit-')), 'a.sqlite');
  const store = await openSqliteStore(`sqlite:${path}`);
  for (let i = 0; i < n; i++) {
    await store.unitOfWork((uow) =>
      uow.audit.append({
        at: `2026-11-02T08:00:0${i}Z`,
        actor: 'slack:U123',
        action: 'incident.acknowledged',
        subject: `incident:${i}`,
        data: { i },
      }),
    );
  }
  return { store, path };
}

describe('hash-chained audit log', () => {
  it('verifies an untouched chain across transactions', async () => {
    const { store } = await storeWithEntries(5);
    expect(await verifyAudit(store)).toMatchObject({ ok: true, entries: 5 });
    await store.close();
  });

  it.each([
    ['an edited actor', "update audit_log set actor = 'someone-else' where seq = 3", 3],
    ['edited data', `update audit_log set data = '{"i":99}' where seq = 2`, 2],
    ['a deleted entry', 'delete from audit_log where seq = 4', 4],
    [
      'a recomputed hash without fixing the successor',
      "update audit_log set actor = 'x', hash = 'f' || substr(hash, 2) where seq = 1",
      1,
    ],
  ])('detects %s', async (_what, tamper, brokenAt) => {
    const { store, path } = await storeWithEntries(5);
    const raw = new BetterSqlite3(path);
    raw.exec(tamper);
    raw.close();
    expect(await verifyAudit(store)).toMatchObject({ ok: false, brokenAt });
    await store.close();
  });
});
