import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAudit } from '../../src/app/verify-audit';
import { PURGE_ACTION } from '../../src/app/purge-personal-data';
import { AnchorFile } from '../../integrations/anchors/anchor-file';
import { openStore } from '../../src/composition/open-store';
import { ManualClock, startTestApp } from '../helpers/test-app';

const KEY = 'app-audit-signing-key-0123456789abcdef';

describe('the running server purges daily and anchors the audit chain', () => {
  it('purges at start when no run is stored, signs the head at shutdown, and the chain verifies against it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'itsm-anchors-')), 'heads.jsonl');
    const anchors = new AnchorFile(path);
    const clock = new ManualClock(Date.parse('2026-11-02T08:00:00Z'));
    const app = await startTestApp({
      clock,
      env: { AUDIT_SIGNING_KEY: KEY },
      yaml: `correlation: { groupWait: 0 }\naudit:\n  anchor:\n    file: ${path}\n`,
    });
    try {
      const r = await app.post('generic', {
        dedupKey: 'edi',
        status: 'firing',
        severity: 'major',
        summary: 'EDI down',
        labels: { alertname: 'EdiDown' },
      });
      expect(r.status).toBe(202);
      await app.settle();
      // 09:00 in Berlin is past 03:30 and no run was stored: the purge ran at start, and only once. It
      // runs beside the start (its first check), so it may still be committing.
      const purged = () => app.store.audit.lastOf(PURGE_ACTION, 'job:retention');
      for (let i = 0; i < 100 && !(await purged()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await purged()).toMatchObject({
        at: '2026-11-02T08:00:00.000Z',
        subject: 'retention',
      });
    } finally {
      await app.stop();
    }
    const signed = await anchors.all();
    // The shutdown anchor is the last line (a check at start may have signed an earlier head).
    expect(signed.length).toBeGreaterThanOrEqual(1);
    const store = await openStore(app.database.url);
    try {
      const head = await store.audit.head();
      expect(signed.at(-1)).toMatchObject({ seq: head.seq, hash: head.hash, alg: 'HMAC-SHA256' });
      let purges = 0;
      for await (const e of store.audit.entries()) if (e.action === PURGE_ACTION) purges++;
      expect(purges).toBe(1);
      expect(await verifyAudit(store, { anchors: signed, key: KEY })).toMatchObject({
        ok: true,
        anchors: signed.length,
      });
    } finally {
      await store.close();
      await app.database.drop();
    }
  }, 30_000);
});
