import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_ACTIONS } from '../../src/ports/chat';
import { verifyAudit } from '../../src/app/verify-audit';
import { eventually } from '../helpers/eventually';
import { JIRA_AUTH, SN_AUTH, type TestApp, startTestApp } from '../helpers/test-app';
import {
  buttonBody,
  postSlack,
  resolveSubmissionBody,
  slackHeaders,
  slashBody,
  sandboxResponseUrl,
} from '../helpers/slack-requests';

const fixture = (source: string, name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', source, name), 'utf8'));

const ANNA = 'U0ANNA0001';
const JONAS = 'U0JONAS001';
const GUEST = 'U0GUEST001';

const YAML = `
correlation: { groupWait: 0, resolveGrace: 1s, reopenWindow: 2h }
tickets: { noteInterval: 0, maxBackoff: 2s, pollInterval: 1 }
slack: { updateInterval: 0 }
providers:
  - name: infra
    displayName: DMS Infrastructure
    chat: { slackChannel: "#dms-infra-oncall" }
    members: { slack: [${JONAS}] }
  - name: app
    displayName: DMS Application
    chat: { slackChannel: "#dms-app-oncall" }
    members: { slack: [${ANNA}] }
    oncall: [{ name: Anna Schmidt, phone: "+49 89 1234" }]
routing:
  defaults: { provider: infra, groupBy: [branch] }
  rules:
    - name: branch-outage
      match: [{ labels: { branch: "*" } }]
      provider: app
      impact: 1
      urgency: 1
      runbook: dms-branch-down
      groupBy: [branch]
`;

describe('Slack: incident messages, /itsm, buttons and the resolve dialog against the running server', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ yaml: YAML });
  });
  afterEach(() => app.close());

  const slack = () => app.sandboxes.slack!;
  const channelMessages = () => slack().messages('dms-app-oncall');

  async function openIncident() {
    await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
    await app.flush();
    const [inc] = (await app.api('/api/incidents')).incidents;
    const detail = await app.api(`/api/incidents/${inc.id}`);
    return {
      id: inc.id as number,
      number: detail.tickets.servicenow.number as string,
      jira: detail.tickets.jira.key as string,
      sysId: detail.tickets.servicenow.sys_id as string,
    };
  }

  async function snIncident(sysId: string) {
    const res = await fetch(
      `${app.url}/sandbox/servicenow/api/now/table/incident/${sysId}?sysparm_exclude_reference_link=true`,
      {
        headers: { authorization: SN_AUTH },
      },
    );
    return ((await res.json()) as { result: Record<string, string> }).result;
  }
  async function snNotes(sysId: string) {
    const res = await fetch(
      `${app.url}/sandbox/servicenow/api/now/table/sys_journal_field?sysparm_query=element_id=${sysId}`,
      { headers: { authorization: SN_AUTH } },
    );
    return ((await res.json()) as { result: { value: string }[] }).result.map((r) => r.value);
  }
  async function jiraIssue(key: string) {
    const res = await fetch(`${app.url}/sandbox/jira/rest/api/3/issue/${key}?expand=changelog`, {
      headers: { authorization: JIRA_AUTH },
    });
    return (await res.json()) as any;
  }
  async function jiraComments(key: string): Promise<string> {
    const res = await fetch(`${app.url}/sandbox/jira/rest/api/3/issue/${key}/comment`, {
      headers: { authorization: JIRA_AUTH },
    });
    return JSON.stringify(await res.json());
  }

  async function click(user: string, actionId: string, value: string) {
    const [msg] = channelMessages();
    const body = buttonBody({
      actionId,
      value,
      user,
      channel: msg!.channel,
      messageTs: msg!.ts,
      triggerId: slack().mintTriggerId(user),
      responseUrl: sandboxResponseUrl(app.url),
    });
    const r = await postSlack(app.url, body, slackHeaders(body));
    await app.flush();
    return r;
  }

  async function slash(user: string, text: string) {
    const [msg] = channelMessages();
    const body = slashBody({
      text,
      user,
      channel: msg!.channel,
      triggerId: slack().mintTriggerId(user),
      responseUrl: slack().mintResponseUrl({
        baseUrl: `${app.url}/sandbox/slack/api`,
        channel: msg!.channel,
        user,
      }).url,
    });
    const r = await postSlack(app.url, body, slackHeaders(body));
    await app.flush();
    return r;
  }

  it('posts one incident message with buttons into the provider channel and updates it with the ticket links', async () => {
    const inc = await openIncident();
    const msgs = channelMessages();
    expect(msgs).toHaveLength(1);
    const blocks = JSON.stringify(msgs[0]!.blocks);
    expect(blocks).toContain(CHAT_ACTIONS.ack);
    expect(blocks).toContain(CHAT_ACTIONS.resolve);
    expect(blocks).toContain(CHAT_ACTIONS.handoff);
    expect(blocks).toContain(inc.number);
    expect(blocks).toContain(inc.jira);
    // The runbook arrived as a checklist with a Done button per step.
    expect(blocks).toContain(CHAT_ACTIONS.step);
    // Nothing went to the other provider's channel.
    expect(slack().messages('dms-infra-oncall')).toHaveLength(0);
  });

  it('Acknowledge: ServiceNow In Progress assigned to the user, Jira assignee and In Progress, message redrawn, audited', async () => {
    const inc = await openIncident();
    const r = await click(ANNA, CHAT_ACTIONS.ack, String(inc.id));
    expect(r.status).toBe(200);
    const sn = await snIncident(inc.sysId);
    expect(sn.state).toBe('2');
    expect(sn.assigned_to).toMatch(/^[0-9a-f]{32}$/);
    expect((await snNotes(inc.sysId)).join('\n')).toContain('Acknowledged by Anna Schmidt');
    const issue = await jiraIssue(inc.jira);
    expect(issue.fields.assignee?.emailAddress ?? issue.fields.assignee?.displayName).toMatch(/anna|Anna/);
    expect(issue.fields.status.statusCategory.key).toBe('indeterminate');
    const [msg] = channelMessages();
    expect(JSON.stringify(msg!.blocks)).toContain('Anna Schmidt');
    expect(JSON.stringify(msg!.blocks)).not.toContain(CHAT_ACTIONS.ack);
    expect(msg!.replies.map((x) => x.text).join('\n')).toContain('acknowledged');
    const detail = await app.api(`/api/incidents/${inc.id}`);
    expect(detail.timeline.map((e: { type: string; actor: string }) => `${e.type}:${e.actor}`)).toContain(
      `acknowledged:slack:${ANNA}`,
    );
    expect((await verifyAudit(app.store)).ok).toBe(true);
  });

  it('refuses non-members with an ephemeral message and changes nothing; a double click acts once', async () => {
    const inc = await openIncident();
    await click(GUEST, CHAT_ACTIONS.ack, String(inc.id));
    const refusals = await eventually(
      () => slack().state.ephemerals.filter((e) => e.user === GUEST),
      (l) => l.length > 0,
    );
    expect(refusals.map((e) => e.text).join()).toMatch(/Only members of DMS Application/);
    expect((await snIncident(inc.sysId)).state).toBe('1');
    // Jonas is a member of infra, not of app.
    await click(JONAS, CHAT_ACTIONS.ack, String(inc.id));
    expect((await snIncident(inc.sysId)).state).toBe('1');

    await click(ANNA, CHAT_ACTIONS.ack, String(inc.id));
    await click(ANNA, CHAT_ACTIONS.ack, String(inc.id));
    const acks = (await app.store.outbox.of(inc.id)).filter((c) => c.kind === 'ack');
    expect(acks.map((c) => c.lane).sort()).toEqual(['jira', 'servicenow']);
    const answers = await eventually(
      () =>
        slack()
          .state.ephemerals.filter((e) => e.user === ANNA)
          .map((e) => e.text)
          .join(),
      (t) => /already/.test(t),
    );
    expect(answers).toMatch(/already acknowledged by Anna Schmidt/);
  });

  it('rejects a bad signature and a stale timestamp (401) and drops an exact replay', async () => {
    const inc = await openIncident();
    const body = slashBody({
      text: `note ${inc.number} checked the router`,
      user: ANNA,
      channel: 'C0SANDBOX02',
      responseUrl: sandboxResponseUrl(app.url),
    });
    expect((await postSlack(app.url, body, slackHeaders(body, { secret: 'wrong' }))).status).toBe(401);
    expect(
      (
        await postSlack(
          app.url,
          body,
          slackHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }),
        )
      ).status,
    ).toBe(401);
    const headers = slackHeaders(body);
    expect((await postSlack(app.url, body, headers)).status).toBe(200);
    expect((await postSlack(app.url, body, headers)).status).toBe(200);
    await app.flush();
    const comments = (await app.store.outbox.of(inc.id)).filter((c) => c.kind === 'comment');
    expect(comments).toHaveLength(2); // one per ticket system, not two
    expect((await snNotes(inc.sysId)).filter((n) => n.includes('checked the router'))).toHaveLength(1);
    expect(await jiraComments(inc.jira)).toContain('checked the router');
  });

  it('/itsm help, list, show and oncall answer in the HTTP response; handoff opens the dialog', async () => {
    const inc = await openIncident();
    expect((await slash(ANNA, 'help')).json.text).toContain('ack &lt;ref&gt;');
    const list = await slash(ANNA, 'list');
    expect(JSON.stringify(list.json)).toContain(inc.number);
    expect(JSON.stringify((await slash(ANNA, `show ${inc.jira}`)).json)).toContain(inc.number);
    expect(JSON.stringify((await slash(ANNA, 'oncall')).json)).toContain('+49 89 1234');
    expect((await slash(ANNA, `handoff ${inc.number}`)).status).toBe(200);
    expect(
      await eventually(
        () => slack().state.views.find((v) => v.callbackId === 'itsm_handoff_note'),
        (v) => v !== undefined,
      ),
    ).toMatchObject({ user: ANNA });
    expect(JSON.stringify((await slash(ANNA, 'ack INC9999999')).json)).toMatch(/No incident found/);
    expect(JSON.stringify((await slash(ANNA, 'frobnicate')).json)).toMatch(/Unknown command/);
  });

  it('hands an incident to another provider with /itsm handoff: owners offer, receivers accept, both tickets move', async () => {
    const inc = await openIncident();
    const offer = `handoff ${inc.number} to infra | Branch router down | Rebooted the router | Check the WAN line`;
    expect(JSON.stringify((await slash(JONAS, offer)).json)).toMatch(/Only members of DMS Application/);
    const offered = JSON.stringify((await slash(ANNA, offer)).json);
    expect(offered).toMatch(/Hand-off 1 offered to DMS Infrastructure/);
    expect(JSON.stringify((await slash(ANNA, 'handoff accept 1')).json)).toMatch(
      /Only members of DMS Infrastructure/,
    );
    expect(JSON.stringify((await slash(JONAS, 'handoff reject 1')).json)).toMatch(/needs a reason/);
    expect(JSON.stringify((await slash(JONAS, 'handoff accept 1')).json)).toMatch(
      /Hand-off 1 to DMS Infrastructure accepted/,
    );
    expect(JSON.stringify((await slash(JONAS, 'handoff accept 1')).json)).toMatch(
      /already accepted by slack:U0JONAS001/,
    );
    await app.flush();
    const detail = await app.api(`/api/incidents/${inc.id}`);
    expect(detail.owner).toBe('infra');
    expect(detail.handoffs).toEqual([
      expect.objectContaining({ state: 'accepted', decidedBy: `slack:${JONAS}` }),
    ]);
    expect((await snNotes(inc.sysId)).join('\n')).toContain('Next steps: Check the WAN line');
    expect(await jiraComments(inc.jira)).toContain('Hand-off from app to infra, accepted by Jonas Weber');
    expect((await verifyAudit(app.store)).ok).toBe(true);
  });

  it('/itsm resolve without a note opens the dialog; submitting it resolves both tickets with the note', async () => {
    const inc = await openIncident();
    const r = await slash(ANNA, `resolve ${inc.number}`);
    expect(r.status).toBe(200);
    const modal = await eventually(
      () => slack().state.views.find((v) => v.type === 'modal' && v.user === ANNA),
      (v) => v !== undefined,
    );
    expect(modal?.callbackId).toBe('itsm_resolve_note');
    expect(modal?.privateMetadata).toBe(String(inc.id));

    const tooShort = resolveSubmissionBody({ user: ANNA, incidentId: inc.id, note: 'x' });
    const bad = await postSlack(app.url, tooShort, slackHeaders(tooShort));
    expect(bad.json).toMatchObject({ response_action: 'errors', errors: { note: expect.any(String) } });

    const body = resolveSubmissionBody({ user: ANNA, incidentId: inc.id, note: 'Router in Munich replaced' });
    const ok = await postSlack(app.url, body, slackHeaders(body));
    expect(ok.json).toMatchObject({ response_action: 'clear' });
    await app.flush();
    const sn = await snIncident(inc.sysId);
    expect(sn.state).toBe('6');
    expect(sn.close_notes).toContain('Router in Munich replaced');
    expect((await jiraIssue(inc.jira)).fields.status.statusCategory.key).toBe('done');
    const detail = await app.api(`/api/incidents/${inc.id}`);
    expect(detail.state).toBe('resolved');
    expect(JSON.stringify(channelMessages()[0]!.blocks)).toContain('Router in Munich replaced');
  });

  it('a runbook step marked done is recorded with who and when in both tickets and on the message', async () => {
    const inc = await openIncident();
    await click(ANNA, CHAT_ACTIONS.step, `${inc.id}:0`);
    await click(ANNA, CHAT_ACTIONS.step, `${inc.id}:0`);
    const notes = (await snNotes(inc.sysId)).filter((n) => n.includes('Runbook step 1 done by Anna Schmidt'));
    expect(notes).toHaveLength(1);
    expect(await jiraComments(inc.jira)).toContain('Runbook step 1 done by Anna Schmidt');
    expect(JSON.stringify(channelMessages()[0]!.blocks)).toContain('Anna Schmidt');
  });

  it('/itsm report uploads the HTML and CSV into the channel', async () => {
    await openIncident();
    const r = await slash(ANNA, 'report 2026-10');
    expect(r.status).toBe(200);
    for (let i = 0; i < 50 && slack().state.files.filter((f) => f.completed).length < 2; i++)
      await new Promise((res) => setTimeout(res, 100));
    const files = slack().state.files.filter((f) => f.completed);
    expect(files.map((f) => f.filename).sort()).toEqual([
      'sla-report-2026-10.csv',
      'sla-report-2026-10.html',
    ]);
    expect(files.find((f) => f.filename.endsWith('.html'))!.bytes!.toString()).toContain('<html');
  });
});
