import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, freePort, startChild, waitExit } from '../helpers/child-server';
import { ENGINEER_AUTH, SERVICE_DESK_AUTH } from '../helpers/sandbox-people';
import { testDatabase } from '../helpers/test-database';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'quick-start-sync-token-0123456789';
const fixture = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'alertmanager', name), 'utf8');

/**
 * The shipped example as `npm start` reads it (sandboxes, sync on by itself, `tickets.noteInterval`
 * 60 s), with only the grouping wait cut: it takes no part in the path, and would cost the test 30 s.
 */
function quickStartConfig(dir: string): void {
  const example = readFileSync(join(ROOT, 'itsm-bridge.example.yaml'), 'utf8');
  const yaml = example.replace(/^(\s*groupWait:) 30s/m, '$1 0s');
  if (yaml === example) throw new Error('itsm-bridge.example.yaml no longer sets groupWait: 30s');
  writeFileSync(join(dir, 'itsm-bridge.yaml'), yaml);
}

/** Reads until `ok` holds or `ms` have passed; the last value read, for the assertion to show. */
async function within<T>(ms: number, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || performance.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Listed {
  id: number;
  tickets: { jira?: { key: string }; servicenow?: { number: string } };
}
interface Queued {
  system: string;
  kind: string;
  state: string;
}

describe('the quick start: a Jira comment reaches ServiceNow at once', () => {
  // The README's walkthrough on the embedded defaults, over HTTP as a user follows it. The comment
  // used to wait behind the coalesced monitoring note of the same incident (up to noteInterval, 60 s).
  it('copies the engineer’s comment while a coalesced monitoring note is still waiting out its interval', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itsm-quick-sync-'));
    quickStartConfig(dir);
    const database = await testDatabase(dir, 'db.sqlite');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await startChild(
      childEnv({ port, webhookToken: TOKEN, apiToken: TOKEN, databaseUrl: database.url }),
      dir,
    );
    const api = async <T>(path: string): Promise<T> =>
      (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as Promise<T>;
    const alert = (body: string) =>
      fetch(`${base}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body,
      });
    const outbox = async (id: number) => (await api<{ outbox: Queued[] }>(`/api/incidents/${id}`)).outbox;
    try {
      expect((await alert(fixture('firing.json'))).status).toBe(202);
      const infra1 = async () =>
        (await api<{ incidents: Listed[] }>('/api/incidents')).incidents.find(
          (i) => i.tickets.jira?.key === 'INFRA-1' && i.tickets.servicenow,
        );
      const incident = await within(20_000, infra1, (i) => i !== undefined);
      expect(incident).toBeDefined();
      const id = incident!.id;
      // Both tickets linked, nothing left queued for it: the state the README's walkthrough starts from.
      expect(
        await within(
          20_000,
          () => outbox(id),
          (o) => o.length === 0,
        ),
      ).toEqual([]);

      // Some of its alerts recover: one coalesced work note is queued for noteInterval (60 s).
      expect((await alert(fixture('mixed.json'))).status).toBe(202);
      const waiting = await within(
        10_000,
        () => outbox(id),
        (o) => o.some((c) => c.kind === 'note'),
      );
      expect(waiting).toContainEqual(
        expect.objectContaining({ system: 'servicenow', kind: 'note', state: 'pending' }),
      );

      const jira = `${base}/sandbox/jira/rest/api/3/issue/INFRA-1/comment`;
      const text = { type: 'text', text: 'Router restarted' };
      const body = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [text] }] };
      const commented = await fetch(jira, {
        method: 'POST',
        headers: { authorization: ENGINEER_AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ body }),
      });
      expect(commented.status).toBe(201);

      // A correctness deadline, not a measurement: about a second here, the note's 60 s before the fix.
      const notes = `${base}/sandbox/servicenow/api/now/table/sys_journal_field?sysparm_query=element=work_notes^valueLIKERouter%20restarted&sysparm_fields=value`;
      const read = async () =>
        (
          (await (await fetch(notes, { headers: { authorization: SERVICE_DESK_AUTH } })).json()) as {
            result: { value: string }[];
          }
        ).result.map((r) => r.value);
      expect(await within(10_000, read, (v) => v.length > 0)).toEqual([
        '[Jira comment by Erika Engineer on INFRA-1]\nRouter restarted',
      ]);
    } finally {
      server.child.kill('SIGTERM');
      await waitExit(server.child);
      await database.drop();
    }
  }, 60_000);
});
