import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestApp, startTestApp } from '../helpers/test-app';
import { ENGINEER_AUTH as ENGINEER, SERVICE_DESK_AUTH as SN_DESK } from '../helpers/sandbox-people';

const fixture = (source: string, name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', source, name), 'utf8'));

// The poll runs when the test says (pollOnce), not on its own timer: it would race the test's uploads.
const YAML = (extra = '', outboxPoll = 1, servicenow = '') => `
servicenow: { sync: { poll: false }${servicenow} }
correlation: { groupWait: 0 }
tickets: { maxBackoff: 1s, pollInterval: ${outboxPoll} }
slack: { enabled: false }
teams: { enabled: false }
sync:
  enabled: true
  checkInterval: 0
  jira: { sweepInterval: 0 }
${extra}`;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('two-way sync of attachments against the emulators (real server, real SQLite)', () => {
  let app: TestApp;
  let issueKey: string;
  let sysId: string;
  let incidentId: number;

  const jira = () => app.sandboxes.jira!;
  const sn = () => app.sandboxes.servicenow!.state;
  const snFiles = () => sn().attachments.filter((a) => a.table_sys_id === sysId);
  const jiraFiles = () => jira().state.issues.find((i) => i.key === issueKey)!.attachments;
  const settle = async () => {
    await jira().webhooks.idle();
    await app.flush(2);
  };
  const poll = () => app.servicenowSync!.poller.pollOnce();
  const timeline = async () =>
    ((await app.api(`/api/incidents/${incidentId}`)).timeline as { type: string; reason: string }[]).map(
      (e) => e.reason,
    );

  const start = async (extra = '', outboxPoll = 1, servicenow = '') => {
    app = await startTestApp({ yaml: YAML(extra, outboxPoll, servicenow) });
    jira().webhooks.settings.retryDelaysMs = [20, 50, 100];
    await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
    await app.flush(3);
    const [inc] = (await app.api('/api/incidents')).incidents;
    incidentId = inc.id;
    const detail = await app.api(`/api/incidents/${inc.id}`);
    issueKey = detail.tickets.jira.key;
    sysId = detail.tickets.servicenow.sys_id;
    // The first poll knows our incident; what it reads of it now is the bridge's own.
    await poll();
    await settle();
  };
  afterEach(() => app.close());

  /** Erika attaches a file in Jira (multipart, with Jira's XSRF header). */
  const attachInJira = async (name: string, content: Buffer, type = 'text/plain') => {
    const form = new FormData();
    form.append('file', new Blob([content], { type }), name);
    const res = await fetch(`${app.url}/sandbox/jira/rest/api/3/issue/${issueKey}/attachments`, {
      method: 'POST',
      headers: { authorization: ENGINEER, 'x-atlassian-token': 'no-check' },
      body: form,
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { id: string }[])[0]!;
  };
  /** The service desk attaches a file in ServiceNow (Attachment API, raw body). */
  const attachInServiceNow = async (name: string, content: Buffer, type = 'application/pdf') => {
    const q = new URLSearchParams({ table_name: 'incident', table_sys_id: sysId, file_name: name });
    const res = await fetch(`${app.url}/sandbox/servicenow/api/now/attachment/file?${q}`, {
      method: 'POST',
      headers: { authorization: SN_DESK, 'content-type': type, accept: 'application/json' },
      body: content,
    });
    expect(res.status).toBe(201);
  };

  it('copies a Jira attachment once into ServiceNow (same bytes, name and type), and it never comes back', async () => {
    await start();
    const content = Buffer.from('router config dump\n'.repeat(20));
    await attachInJira('../../etc/router\u0007.txt', content);
    await settle();
    expect(snFiles()).toHaveLength(1);
    const [copy] = snFiles();
    expect(copy).toMatchObject({
      file_name: 'router.txt',
      content_type: 'text/plain',
      size_bytes: String(content.length),
    });
    expect(sn().attachmentBodies.get(copy!.sys_id)).toEqual(content);
    expect(copy!.hash).toBe(sha256(content));
    // The poll reads the bridge's own upload back: the echo ledger drops it; nothing goes to Jira.
    expect((await poll()).changes).toBe(1);
    await settle();
    expect(jiraFiles()).toHaveLength(1);
    expect(snFiles()).toHaveLength(1);
    const reasons = await timeline();
    expect(reasons).toContainEqual(
      expect.stringMatching(
        /^servicenow: attachment router\.txt \(380 bytes, sha256 [0-9a-f]{12}\) by Erika Engineer copied from Jira/,
      ),
    );
    // The next poll reads the overlap window again: what it hands on again is dropped as handled.
    await poll();
    await settle();
    expect(jiraFiles()).toHaveLength(1);
    expect(snFiles()).toHaveLength(1);
  });

  it('copies a ServiceNow attachment once into Jira, and the Jira webhook of the copy is an echo', async () => {
    await start();
    const content = Buffer.from('%PDF-1.4 customer screenshot');
    await attachInServiceNow('screenshot.pdf', content);
    expect((await poll()).changes).toBe(1);
    await settle();
    expect(jiraFiles()).toHaveLength(1);
    expect(jiraFiles()[0]).toMatchObject({
      filename: 'screenshot.pdf',
      mimeType: 'application/pdf',
      size: content.length,
    });
    expect(jira().state.attachmentBodies.get(jiraFiles()[0]!.id)).toEqual(content);
    await poll();
    await settle();
    expect(snFiles()).toHaveLength(1);
    expect(jiraFiles()).toHaveLength(1);
  });

  it('uploads the same content attached twice only once', async () => {
    await start();
    const content = Buffer.from('identical log excerpt');
    await attachInJira('log.txt', content);
    await settle();
    await attachInJira('log (1).txt', content);
    await settle();
    expect(snFiles()).toHaveLength(1);
    expect(await timeline()).toContainEqual(
      expect.stringContaining('attachment log (1).txt by Erika Engineer is already on INC'),
    );
  });

  it('does not copy an attachment over the limit and says so on the timeline, from either side', async () => {
    await start('  attachments: { maxBytes: 100 }');
    await attachInJira('big.log', Buffer.alloc(500, 'x'));
    await settle();
    await attachInServiceNow('big.pdf', Buffer.alloc(300, 'y'));
    await poll();
    await settle();
    expect(snFiles().map((a) => a.file_name)).toEqual(['big.pdf']);
    expect(jiraFiles().map((a) => a.filename)).toEqual(['big.log']);
    const reasons = await timeline();
    expect(reasons).toContainEqual(
      'servicenow: attachment big.log 500 bytes not copied: over the 100 bytes limit',
    );
    expect(reasons).toContainEqual(
      'attachment big.pdf 300 bytes not copied: over the 100 bytes limit (ServiceNow, by Service Desk)',
    );
  });

  it('adds no second attachment when the upload landed but its answer was lost (the retry finds it)', async () => {
    await start('', 1, ', timeoutMs: 300');
    // The emulator applies the upload and holds the answer: the bridge times out, not knowing.
    app.sandboxes.servicenow!.faults.script.push({
      kind: 'timeout',
      method: 'POST',
      path: '/api/now/attachment/file',
      holdMs: 1000,
    });
    const content = Buffer.from('capture.pcap bytes');
    await attachInJira('capture.pcap', content, 'application/vnd.tcpdump.pcap');
    await settle();
    expect(snFiles()).toHaveLength(1);
    for (let i = 0; i < 40; i++) {
      if ((await timeline()).some((r) => r.includes('capture.pcap') && r.includes('not uploaded again')))
        break;
      await new Promise((r) => setTimeout(r, 100));
      await app.flush(1);
    }
    expect(await timeline()).toContainEqual(
      expect.stringContaining('capture.pcap by Erika Engineer is already on'),
    );
    expect(snFiles()).toHaveLength(1);
  });

  it('adds no second Jira attachment after a lost answer either: Jira has no hash, same-sized ones are compared', async () => {
    await start('jira: { timeoutMs: 300 }');
    jira().faults.script.push({ kind: 'timeout', method: 'POST', path: '/attachments', holdMs: 1000 });
    await attachInServiceNow('dump.bin', Buffer.from('binary dump 0123456789'), 'application/octet-stream');
    await poll();
    await settle();
    expect(jiraFiles()).toHaveLength(1);
    for (let i = 0; i < 40; i++) {
      if ((await timeline()).some((r) => r.includes('not uploaded again'))) break;
      await new Promise((r) => setTimeout(r, 100));
      await app.flush(1);
    }
    expect(await timeline()).toContainEqual(
      expect.stringContaining('attachment dump.bin by Service Desk is already on OPS-'),
    );
    expect(jiraFiles()).toHaveLength(1);
    expect(snFiles()).toHaveLength(1);
  });

  it('drift check: finds a missing comment and a missing attachment; --repair copies each once, a second repair queues nothing', async () => {
    // The outbox polls rarely: the second repair comes before the copies, mostly.
    await start('', 3600);
    const journal = () => sn().journal.filter((j) => j.element_id === sysId);
    // Erika's comment whose webhook was lost (no sweep runs), and a ServiceNow attachment not yet polled.
    jira().webhooks.settings.dropNext = 1;
    const res = await fetch(`${app.url}/sandbox/jira/rest/api/3/issue/${issueKey}/comment`, {
      method: 'POST',
      headers: { authorization: ENGINEER, 'content-type': 'application/json' },
      body: JSON.stringify({
        body: {
          type: 'doc',
          version: 1,
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Swapped the SFP module' }] }],
        },
      }),
    });
    expect(res.status).toBe(201);
    await attachInServiceNow('photo.pdf', Buffer.from('a photo of the rack'));
    await settle();
    const since = '2000-01-01T00:00:00.000Z';
    const report = await app.syncCheck({ since, repair: false });
    expect(report.drifted.map((d) => [d.kind, d.problem])).toEqual([
      [
        'comment',
        expect.stringMatching(/^Jira comment \d+ by Erika Engineer on OPS-\d+ is missing on ServiceNow INC/),
      ],
      [
        'attachment',
        expect.stringMatching(
          /^ServiceNow attachment photo\.pdf \(19 bytes\) on INC\d+ is missing on Jira OPS-/,
        ),
      ],
    ]);
    expect(await (await fetch(`${app.url}/metrics`)).text()).toMatch(/^itsm_sync_drifted_pairs 1$/m);

    const syncCommands = async () =>
      (await app.store.outbox.of(incidentId)).filter((c) => c.kind === 'sync').length;
    const before = await syncCommands();
    const fixed = await app.syncCheck({ since, repair: true });
    expect(fixed.drifted.map((d) => d.repaired)).toEqual([true, true]);
    expect(await syncCommands()).toBe(before + 2);
    // Whether or not the copies have arrived yet, a second repair queues nothing.
    const again = await app.syncCheck({ since, repair: true });
    expect(again.drifted.filter((d) => d.repaired)).toEqual([]);
    expect(again.drifted.every((d) => d.queuedBefore === true)).toBe(true);
    expect(await syncCommands()).toBe(before + 2);
    await settle();
    expect(journal().filter((j) => String(j.value).includes('Swapped the SFP module'))).toHaveLength(1);
    expect(jiraFiles().map((a) => a.filename)).toEqual(['photo.pdf']);
    // The poller reads the attachment now: the repair already handled it, nothing is copied twice.
    await poll();
    await settle();
    expect(jiraFiles()).toHaveLength(1);
    expect(snFiles()).toHaveLength(1);
    expect((await app.syncCheck({ since, repair: false })).drifted).toEqual([]);
    expect(await (await fetch(`${app.url}/metrics`)).text()).toMatch(/^itsm_sync_drifted_pairs 0$/m);
  });

  it('refuses an upload without the XSRF header (Jira 403) and names a missing file part', async () => {
    await start();
    const res = await fetch(`${app.url}/sandbox/jira/rest/api/3/issue/${issueKey}/attachments`, {
      method: 'POST',
      headers: { authorization: ENGINEER, 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x--\r\n',
    });
    expect(res.status).toBe(403);
    const empty = await fetch(`${app.url}/sandbox/jira/rest/api/3/issue/${issueKey}/attachments`, {
      method: 'POST',
      headers: {
        authorization: ENGINEER,
        'x-atlassian-token': 'no-check',
        'content-type': 'multipart/form-data; boundary=x',
      },
      body: '--x--\r\n',
    });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ errors: { file: expect.any(String) } });
  });
});
