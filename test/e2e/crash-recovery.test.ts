import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAudit } from '../../src/app/verify-audit';
import { openStore } from '../../src/composition/open-store';
import { testDatabase } from '../helpers/test-database';
import { freePort, startChild, waitExit } from '../helpers/child-server';
import { alertmanagerPayload, deliverAlertmanager } from '../helpers/alertmanager-payload';

const TOKEN = 'crash-test-token-123456';
const BRANCHES = Array.from({ length: 21 }, (_, i) => `br-${String(i + 1).padStart(2, '0')}`);

/** An Alertmanager payload of 10 alerts with fresh fingerprints, on one branch. */
function payload(n: number) {
  const branch = BRANCHES[n % BRANCHES.length]!;
  return alertmanagerPayload(
    branch,
    Array.from({ length: 10 }, (_, i) => ({
      instance: `srv-${n}-${i}.${branch}.example:9100`,
      fingerprint: `${n.toString(16).padStart(8, '0')}${i.toString(16).padStart(8, '0')}`,
    })),
  );
}

describe('crash recovery (SIGKILL of the real server process)', () => {
  it('loses no acknowledged alert, applies each exactly once and never duplicates an incident', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itsm-crash-'));
    const database = await testDatabase(dir, 'crash.sqlite');
    writeFileSync(join(dir, 'itsm-bridge.yaml'), 'routing:\n  defaults: { groupBy: [branch] }\n');
    const port = await freePort();
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      WEBHOOK_TOKEN: TOKEN,
      API_TOKEN: 'x'.repeat(24),
      LOG_LEVEL: 'error',
    };

    const acknowledged = new Set<number>();
    const pending = Array.from({ length: 240 }, (_, n) => n); // payload numbers still to deliver
    let server = await startChild(env, dir);
    // A connection reset by the kill counts as not acknowledged: like Alertmanager, deliver again later.
    const post = (n: number) =>
      deliverAlertmanager(`http://127.0.0.1:${port}`, TOKEN, payload(n), acknowledged);

    for (let round = 0; round < 4 && pending.length > 0; round++) {
      // Four concurrent senders; the server is killed while they are mid-stream (except in the last round).
      const killAfterMs = round < 3 ? 150 + Math.floor(Math.random() * 250) : Infinity;
      const started = Date.now();
      const retry: number[] = [];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (pending.length > 0) {
            if (Date.now() - started > killAfterMs) break;
            const n = pending.shift()!;
            if (!(await post(n))) retry.push(n);
          }
        }),
      );
      pending.push(...retry);
      if (round < 3) {
        server.child.kill('SIGKILL');
        await waitExit(server.child);
        server = await startChild(env, dir);
      }
    }
    expect(pending).toHaveLength(0);

    // Let correlation finish after the last restart.
    // Counts as numbers (PostgreSQL returns bigint counts as strings).
    const count = async (statement: string) => Number((await database.query(statement))[0]?.n ?? 0);
    // Up to 90 s: on PostgreSQL every statement is a round trip, and 2,400 alerts take a while.
    for (let i = 0; i < 900; i++) {
      if ((await count('select count(*) n from alerts where processed_at is null')) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    server.child.kill('SIGTERM');
    await waitExit(server.child);

    const ids = new Set((await database.query('select id from alerts')).map((r) => Number(r.id)));
    const missing = [...acknowledged].filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(2400);
    expect(await count('select count(*) n from alerts where processed_at is null')).toBe(0);
    // Exactly once: every processed alert counted once on its incident member, no more, no less.
    const applied = await count('select sum(occurrences) n from incident_alerts');
    const attached = await count('select count(*) n from alerts where incident_id is not null');
    expect(applied).toBe(attached);
    expect(attached).toBe(ids.size);
    // One incident per branch, never two.
    const incidents = await database.query('select group_key, count(*) n from incidents group by group_key');
    expect(incidents).toHaveLength(21);
    expect(incidents.every((r) => Number(r.n) === 1)).toBe(true);
    expect(await count('select count(*) n from incident_alerts')).toBe(2400);

    const store = await openStore(database.url);
    expect(await verifyAudit(store)).toMatchObject({ ok: true });
    await store.close();
    await database.drop();
  }, 240_000);
});
