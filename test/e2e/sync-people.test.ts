import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cutoffsBefore, purgePersonalData } from '../../src/app/purge-personal-data';
import { systemClock } from '../../integrations/clock/system-clock';
import { jiraInstant } from '../../integrations/jira/jira-remote-changes';
import { SANDBOX_IDENTITIES } from '../../integrations/sandbox/sandbox-identities';
import { QUIET_SYNC_APP_YAML } from '../helpers/sync-app-yaml';
import { type TestApp, startTestApp } from '../helpers/test-app';
import { ENGINEER_AUTH as ENGINEER, SERVICE_DESK_AUTH as SN_DESK } from '../helpers/sandbox-people';

const fixture = (source: string, name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', source, name), 'utf8'));

const YAML = (extra = '') => `${QUIET_SYNC_APP_YAML}
sync:
  enabled: true
  checkInterval: 0
${extra}`;

const SN_HUMAN = SANDBOX_IDENTITIES.servicenow.human;
const ANNA = '712020:3f6c1a2e-8d4b-4f0e-9a57-1c2d3e4f5a61';
const ERIKA = '712020:5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170';

/** The real server in sandbox mode: people change assignees and comments over the emulators' HTTP APIs. */
describe('two-way sync of people: assignee ⇄ assigned_to, Jira Service Management comments', () => {
  let app: TestApp;
  let issueKey: string;
  let sysId: string;
  let incidentId: number;

  const jira = () => app.sandboxes.jira!;
  const sn = () => app.sandboxes.servicenow!.state;
  const snIncident = () => sn().incidents.find((i) => i.sys_id === sysId)!;
  const snUser = (userName: string) => sn().users.find((u) => u.user_name === userName)!;
  const journal = () => sn().journal.filter((j) => j.element_id === sysId);
  const call = async (url: string, method: string, auth: string, body?: unknown) => {
    const res = await fetch(`${app.url}${url}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };
  const asEngineer = (path: string, method: string, body?: unknown) =>
    call(`/sandbox/jira/rest/${path}`, method, ENGINEER, body);
  const asServiceDesk = (body: unknown) =>
    call(`/sandbox/servicenow/api/now/table/incident/${sysId}`, 'PATCH', SN_DESK, body);
  /** Webhooks and pushes arrive on their own: the outbox is flushed until `ok` holds (at most 5 s). */
  const until = async (ok: () => boolean | Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await ok()); i++) {
      await jira().webhooks.idle();
      await app.flush(1);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await ok()).toBe(true);
  };
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await jira().webhooks.idle();
      await app.flush(2);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const timeline = async (type: string): Promise<{ reason: string; data: Record<string, unknown> }[]> =>
    (await app.api(`/api/incidents/${incidentId}`)).timeline.filter((e: { type: string }) => e.type === type);

  const start = async (extra = '') => {
    app = await startTestApp({ yaml: YAML(extra) });
    jira().webhooks.settings.retryDelaysMs = [20, 50, 100];
    await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
    await app.flush(3);
    const [inc] = (await app.api('/api/incidents')).incidents;
    incidentId = inc.id;
    const detail = await app.api(`/api/incidents/${inc.id}`);
    issueKey = detail.tickets.jira.key;
    sysId = detail.tickets.servicenow.sys_id;
  };
  afterEach(() => app.close());

  it('copies a Jira assignee to ServiceNow assigned_to by e-mail, once, and clears it on unassign', async () => {
    await start();
    await asEngineer(`api/3/issue/${issueKey}`, 'PUT', { fields: { assignee: { accountId: ANNA } } });
    await until(() => snIncident().assigned_to === snUser('anna.schmidt').sys_id);
    await settle();
    expect((await timeline('sync_assignee')).map((e) => e.reason)).toEqual([
      'Jira assignee changed to Anna Schmidt by Erika Engineer; copied to ServiceNow',
    ]);
    // The update the bridge made comes back (push) as an echo: nothing reported, nothing set back.
    expect(await timeline('sync_not_owned')).toEqual([]);
    expect(snIncident().assigned_to).toBe(snUser('anna.schmidt').sys_id);

    await asEngineer(`api/3/issue/${issueKey}`, 'PUT', { fields: { assignee: null } });
    await until(() => snIncident().assigned_to === '');
    await settle();
    expect((await timeline('sync_assignee')).map((e) => e.reason)).toEqual([
      'Jira assignee changed to Anna Schmidt by Erika Engineer; copied to ServiceNow',
      'Jira assignee cleared by Erika Engineer; copied to ServiceNow',
    ]);
  });

  it('names an assignee without a ServiceNow user on the timeline and assigns nobody; sync.people maps them', async () => {
    await start();
    const before = snIncident().assigned_to;
    await asEngineer(`api/3/issue/${issueKey}`, 'PUT', { fields: { assignee: { accountId: ERIKA } } });
    await until(async () => (await timeline('sync_assignee')).length === 1);
    await settle();
    expect((await timeline('sync_assignee'))[0]!.reason).toBe(
      'Jira assignee Erika Engineer has no ServiceNow user; not synced',
    );
    expect(snIncident().assigned_to).toBe(before);
    await app.close();

    // An explicit row wins over the e-mail: Erika is the service desk's user in ServiceNow.
    await start(
      `  people: [{ jira: "${SANDBOX_IDENTITIES.jira.human.email}", servicenow: ${SN_HUMAN.userName} }]`,
    );
    await asEngineer(`api/3/issue/${issueKey}`, 'PUT', { fields: { assignee: { accountId: ERIKA } } });
    await until(() => snIncident().assigned_to === snUser(SN_HUMAN.userName).sys_id);
  });

  it('reports an assigned_to change made in ServiceNow (Jira owns the assignee) and, with revert, sets it back', async () => {
    await start('  revert: true');
    await asEngineer(`api/3/issue/${issueKey}`, 'PUT', { fields: { assignee: { accountId: ANNA } } });
    await until(() => snIncident().assigned_to === snUser('anna.schmidt').sys_id);
    await settle();
    await asServiceDesk({ assigned_to: snUser('jonas.weber').sys_id });
    await until(async () => (await timeline('sync_assignee')).length === 2);
    await until(() => snIncident().assigned_to === snUser('anna.schmidt').sys_id);
    await settle();
    const reasons = (await timeline('sync_assignee')).map((e) => e.reason);
    expect(reasons).toEqual([
      'Jira assignee changed to Anna Schmidt by Erika Engineer; copied to ServiceNow',
      'ServiceNow assignee changed to Jonas Weber by Service Desk; Jira owns the assignee, not synced; set back',
    ]);
    // Jira was not touched, and the revert's own push was an echo.
    expect(jira().state.issues.find((i) => i.key === issueKey)!.assignee).toBe(ANNA);
    // The chat thread (Slack is off here, the thread text is the label table's) carries the line.
    expect((await timeline('sync_assignee'))[1]!.data).toMatchObject({
      outcome: 'not_owned',
      reverted: true,
    });
  });

  it('copies assigned_to into the Jira assignee by e-mail where ServiceNow owns the assignee', async () => {
    await start('  ownership: { assignee: servicenow }');
    const JONAS = '712020:9b8e7d6c-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
    await asServiceDesk({ assigned_to: snUser('jonas.weber').sys_id });
    const issue = () => jira().state.issues.find((i) => i.key === issueKey)!;
    await until(() => issue().assignee === JONAS);
    await settle();
    expect((await timeline('sync_assignee')).map((e) => e.reason)).toEqual([
      'ServiceNow assignee changed to Jonas Weber by Service Desk; copied to Jira',
    ]);
    // Jira's webhook for the bridge's assignment is an echo; a person's Jira change is now not owned.
    await asEngineer(`api/3/issue/${issueKey}`, 'PUT', { fields: { assignee: { accountId: ANNA } } });
    await until(async () => (await timeline('sync_assignee')).length === 2);
    expect((await timeline('sync_assignee'))[1]!.reason).toBe(
      'Jira assignee changed to Anna Schmidt by Erika Engineer; ServiceNow owns the assignee, not synced',
    );
    expect(snIncident().assigned_to).toBe(snUser('jonas.weber').sys_id);
  });

  it('records a ServiceNow refusal of assigned_to on the timeline instead of retrying it', async () => {
    await start();
    const sandbox = app.sandboxes.servicenow!;
    sandbox.faults.script.push({ kind: 'error', method: 'PATCH', path: `/incident/${sysId}`, status: 403 });
    await asEngineer(`api/3/issue/${issueKey}`, 'PUT', { fields: { assignee: { accountId: ANNA } } });
    await until(async () => (await timeline('ticket_parked')).length === 1);
    expect((await timeline('ticket_parked'))[0]!.reason).toContain(
      "ServiceNow refused assigned_to (is the user a member of the incident's assignment group?)",
    );
    expect(snIncident().assigned_to).not.toBe(snUser('anna.schmidt').sys_id);
  });

  describe('with sync.jira.serviceManagement', () => {
    const comments = async () =>
      (
        (await asEngineer(`api/3/issue/${issueKey}/comment`, 'GET')) as {
          comments: { body: unknown; jsdPublic: boolean }[];
        }
      ).comments.map((c) => ({ text: JSON.stringify(c.body), jsdPublic: c.jsdPublic }));

    it('copies ServiceNow work notes as internal JSM comments and customer comments as public ones', async () => {
      await start('  jira: { serviceManagement: true }');
      await asServiceDesk({ work_notes: 'Router swapped at branch 12' });
      await asServiceDesk({ comments: 'We are on it' });
      await until(
        async () => (await comments()).filter((c) => /Router swapped|We are on it/.test(c.text)).length === 2,
      );
      const copies = (await comments()).filter((c) => /Router swapped|We are on it/.test(c.text));
      // Entries of the same second are handed on by sys_id: either may be copied first.
      expect(copies).toHaveLength(2);
      expect(copies).toEqual(
        expect.arrayContaining([
          { text: expect.stringContaining('[ServiceNow work note by Service Desk on '), jsdPublic: false },
          { text: expect.stringContaining("[Customer's comment by Service Desk on "), jsdPublic: true },
        ]),
      );
      // Jira's webhooks for the bridge's own comments are echoes: nothing went back to ServiceNow.
      await settle();
      expect(journal().filter((j) => String(j.value).includes('Router swapped'))).toHaveLength(1);
    });

    it('copies an internal JSM comment to ServiceNow work notes and a public one to customer comments', async () => {
      await start('  jira: { serviceManagement: true }');
      await asEngineer(`servicedeskapi/request/${issueKey}/comment`, 'POST', {
        body: 'Checked the uplink',
        public: false,
      });
      await asEngineer(`servicedeskapi/request/${issueKey}/comment`, 'POST', {
        body: 'Fixed, please confirm',
        public: true,
      });
      await until(() => journal().filter((j) => /uplink|confirm/.test(String(j.value))).length === 2);
      await settle();
      const copies = journal().filter((j) => /uplink|confirm/.test(String(j.value)));
      // Two deliveries, each its own copy: their order is the webhooks'.
      expect(copies).toHaveLength(2);
      expect(copies.map((j) => [j.element, j.value])).toEqual(
        expect.arrayContaining([
          ['work_notes', `[Jira comment by Erika Engineer on ${issueKey}]\nChecked the uplink`],
          ['comments', `[Jira comment by Erika Engineer on ${issueKey}]\nFixed, please confirm`],
        ]),
      );
    });
  });

  it('names an account mentioned in Jira wiki markup by its display name in the copy', async () => {
    await start();
    const text = `Ask [~accountid:${ANNA}] to check the uplink`;
    await asEngineer(`api/3/issue/${issueKey}/comment`, 'POST', {
      body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
    });
    await until(() => journal().some((j) => String(j.value).includes('to check the uplink')));
    expect(journal().find((j) => String(j.value).includes('to check the uplink'))!.value).toBe(
      `[Jira comment by Erika Engineer on ${issueKey}]\nAsk Anna Schmidt to check the uplink`,
    );
  });

  it('without serviceManagement, every Jira comment still lands in work notes (the default direction)', async () => {
    await start();
    await asEngineer(`servicedeskapi/request/${issueKey}/comment`, 'POST', {
      body: 'Public note',
      public: true,
    });
    await until(() => journal().some((j) => String(j.value).includes('Public note')));
    expect(journal().find((j) => String(j.value).includes('Public note'))!.element).toBe('work_notes');
  });

  /**
   * The sync's last synced values (`sync_field_versions`) under retention: the purge runs as
   * `itsm-bridge purge --before <now>` does, and the JQL sweep then reads the same Jira changelog
   * again. A purged value must never make the sync copy, set back or report drift a second time.
   */
  describe('after the retention purge of the last synced assignee and close notes', () => {
    const SWEEP = '  jira: { sweepInterval: 0, sweepWindow: 15m }';
    const jiraIssue = () => jira().state.issues.find((i) => i.key === issueKey)!;
    const assignInJira = (accountId: string | null) =>
      asEngineer(`api/3/issue/${issueKey}`, 'PUT', {
        fields: { assignee: accountId === null ? null : { accountId } },
      });
    const reasons = async (type: string) => (await timeline(type)).map((e) => e.reason);
    const syncCommands = async () =>
      (await app.store.outbox.of(incidentId)).filter((c) => c.kind === 'sync').length;
    const version = (system: 'servicenow' | 'jira', field: string) =>
      app.store.sync.fieldVersion(system, system === 'jira' ? issueKey : sysId, field);
    const driftCheck = async () =>
      (await app.syncCheck({ since: '2000-01-01T00:00:00.000Z', repair: false })).drifted;
    /** ServiceNow closes the incident with close notes naming the assignee; the sync copies it to Jira. */
    const close = async () => {
      await asServiceDesk({
        state: '7',
        close_code: 'Solved (Permanently)',
        close_notes: 'Anna Schmidt replaced the fan',
      });
      await until(async () => (await version('servicenow', 'state'))?.value === '7');
      await settle();
    };
    /** Everything written until a moment ago is past retention. */
    const purgeUntilNow = async () => {
      await new Promise((r) => setTimeout(r, 1100)); // ServiceNow's times have whole seconds
      const r = await purgePersonalData(
        { store: app.store, clock: systemClock },
        { cutoffs: cutoffsBefore(systemClock.now()), dryRun: false, actor: 'cli:purge' },
      );
      return r.counts.syncFieldVersions;
    };
    /** The sweep reads the issue's changelog again: no command, no ServiceNow update, no timeline line. */
    const sweepChangesNothing = async () => {
      const lines = await reasons('sync_assignee');
      const commands = await syncCommands();
      const modCount = snIncident().sys_mod_count;
      expect(await app.syncSweep()).toBeGreaterThan(0);
      await settle();
      expect(await syncCommands()).toBe(commands);
      expect(snIncident().sys_mod_count).toBe(modCount);
      expect(await reasons('sync_assignee')).toEqual(lines);
      // What was purged stays purged: the change read again does not bring the account id back.
      expect((await version('jira', 'assignee'))?.value).toBe('(purged)');
      expect(await driftCheck()).toEqual([]);
    };

    it('copies nothing again when the sweep reads a purged assignee’s changelog, and copies the next change', async () => {
      await start(SWEEP);
      await assignInJira(ANNA);
      await until(() => snIncident().assigned_to === snUser('anna.schmidt').sys_id);
      // The bridge's write comes back (push): the ServiceNow assignee it last saw is then Anna's name.
      await until(async () => (await version('servicenow', 'assignedTo'))?.value === 'Anna Schmidt');
      await close();
      expect(await driftCheck()).toEqual([]);
      expect(await reasons('sync_assignee')).toEqual([
        'Jira assignee changed to Anna Schmidt by Erika Engineer; copied to ServiceNow',
      ]);

      // The Jira assignee (account id), the ServiceNow assignee (display name) and the close notes.
      expect(await purgeUntilNow()).toBe(3);
      for (const [system, field] of [
        ['jira', 'assignee'],
        ['servicenow', 'assignedTo'],
        ['servicenow', 'closeNotes'],
      ] as const)
        expect((await version(system, field))?.value).toBe('(purged)');
      expect((await version('servicenow', 'state'))?.value).toBe('7');
      await sweepChangesNothing();

      // A change made after the purge is a change: copied as before.
      await assignInJira(null);
      await until(() => snIncident().assigned_to === '');
      await settle();
      expect(await reasons('sync_assignee')).toEqual([
        'Jira assignee changed to (purged) by (purged); copied to ServiceNow',
        'Jira assignee cleared by Erika Engineer; copied to ServiceNow',
      ]);
      expect(await driftCheck()).toEqual([]);
    });

    it('reports nothing again when the sweep reads a purged assignee change the owner had refused', async () => {
      await start(`  revert: true\n  ownership: { assignee: servicenow }\n${SWEEP}`);
      await assignInJira(ANNA);
      await until(async () => (await timeline('sync_assignee')).length === 1);
      await close();
      expect(await reasons('sync_assignee')).toEqual([
        'Jira assignee changed to Anna Schmidt by Erika Engineer; ServiceNow owns the assignee, not synced',
      ]);
      expect(await purgeUntilNow()).toBe(2); // the Jira assignee and the close notes
      await sweepChangesNothing();
      expect(jiraIssue().assignee).toBe(ANNA);
    });

    it('copies nothing again when a change whose webhook had no changelog id is read again by the sweep after the purge', async () => {
      await start(SWEEP);
      // What the reader makes of a delivery without `changelog.id`: a change without a version, so the
      // sweep's later read of the same entry is recognised by its value alone.
      jira().webhooks.settings.dropNext = 1;
      await assignInJira(ANNA);
      const entry = jiraIssue().changelog.at(-1)!;
      await app.sync([
        {
          system: 'jira',
          changeId: 'webhook-without-changelog-id',
          record: issueKey,
          updatedAt: jiraInstant(entry.created)!,
          actor: { id: ERIKA, name: 'Erika Engineer', integration: false },
          fields: [{ field: 'assignee', from: null, to: ANNA }],
          comments: [],
          attachments: [],
        },
      ]);
      await until(() => snIncident().assigned_to === snUser('anna.schmidt').sys_id);
      // The bridge's write comes back (push): the ServiceNow assignee it last saw is then Anna's name.
      await until(async () => (await version('servicenow', 'assignedTo'))?.value === 'Anna Schmidt');
      await close();
      expect(await purgeUntilNow()).toBe(3);
      await sweepChangesNothing();
      expect(await reasons('sync_assignee')).toEqual([
        'Jira assignee changed to (purged) by (purged); copied to ServiceNow',
      ]);
    });
  });
});
