import { apiPost } from '../helpers/api-post';
import { JIRA_AUTH, ManualClock, startTestApp, type TestApp } from '../helpers/test-app';

const YAML = (transition: string) => `
correlation: { groupWait: 0, resolveGrace: 1s, reopenWindow: 2h }
tickets: { noteInterval: 0, maxBackoff: 1s, pollInterval: 1 }
slack: { enabled: false }
teams: { enabled: false }
handoff: { jira: { transition: ${transition} } }
providers:
  - { name: infra, displayName: DMS Infrastructure, assignmentGroup: DMS Infrastructure, jiraProject: INFRA }
  - { name: app, displayName: DMS Application, assignmentGroup: DMS Application, jiraProject: DMSAPP }
routing:
  defaults: { provider: infra, groupBy: [branch] }
`;

const note = {
  situation: 'Spooler in muc-01 stopped',
  actionsTaken: 'Restarted it',
  nextSteps: 'Check the DMS print interface',
};

describe('an accepted hand-off in Jira: the receiving project gets its own issue, linked to the original', () => {
  let app: TestApp;
  afterEach(() => app.close());

  const post = (path: string, body?: unknown) => apiPost(app.url, path, body);
  const jira = async (path: string) => {
    const res = await fetch(`${app.url}/sandbox/jira/rest/api/3/${path}`, {
      headers: { authorization: JIRA_AUTH },
    });
    return (await res.json()) as any;
  };

  async function acceptedHandoff() {
    await app.post('generic', {
      dedupKey: 'spooler-muc-01',
      status: 'firing',
      severity: 'critical',
      summary: 'Print spooler down in muc-01',
      branch: 'muc-01',
    });
    await app.flush(2);
    const [inc] = (await app.api('/api/incidents')).incidents;
    const detail = await app.api(`/api/incidents/${inc.id}`);
    expect((await post(`/api/incidents/${inc.id}/handoffs`, { to: 'app', note })).status).toBe(201);
    expect((await post('/api/handoffs/1/accept')).status).toBe(200);
    await app.flush(3);
    return {
      id: inc.id as number,
      original: detail.tickets.jira.key as string,
      sn: detail.tickets.servicenow,
    };
  }

  it('creates the issue in the receiving project with "relates to" and the ServiceNow remote link; the original gets the comment and the transition', async () => {
    app = await startTestApp({ yaml: YAML('In Progress') });
    const { id, original, sn } = await acceptedHandoff();
    const created = app.sandboxes.jira!.state.issues.filter((i) => i.projectKey === 'DMSAPP');
    expect(created).toHaveLength(1);
    const issue = await jira(`issue/${created[0]!.key}`);
    expect(issue.fields.issuelinks).toEqual([
      expect.objectContaining({
        type: expect.objectContaining({ name: 'Relates', outward: 'relates to' }),
        inwardIssue: expect.objectContaining({ key: original }),
      }),
    ]);
    const back = await jira(`issue/${original}`);
    expect(back.fields.issuelinks).toEqual([
      expect.objectContaining({ outwardIssue: expect.objectContaining({ key: created[0]!.key }) }),
    ]);
    expect(back.fields.status.name).toBe('In Progress');
    const remote = await jira(`issue/${created[0]!.key}/remotelink`);
    expect(remote).toEqual([
      expect.objectContaining({ object: expect.objectContaining({ title: sn.number, url: sn.url }) }),
    ]);
    expect(JSON.stringify(await jira(`issue/${original}/comment`))).toContain(
      `The receiving provider's issue: ${created[0]!.key}`,
    );
    const timeline = (await app.api(`/api/incidents/${id}`)).timeline.map((e: { type: string }) => e.type);
    expect(timeline).toContain('ticket_handoff_issue');
  });

  it('a failure after the issue was created is retried without a second issue or link; without a transition the original stays', async () => {
    const clock = new ManualClock();
    app = await startTestApp({ yaml: YAML('null'), clock });
    // The link request fails once: the retry must find the issue it already created.
    app.sandboxes.jira!.faults.script.push({ kind: 'error', method: 'POST', path: 'issueLink', status: 503 });
    const { original } = await acceptedHandoff();
    clock.advance(5);
    await app.flush(3);
    const created = app.sandboxes.jira!.state.issues.filter((i) => i.projectKey === 'DMSAPP');
    expect(created).toHaveLength(1);
    expect(app.sandboxes.jira!.state.issueLinks).toHaveLength(1);
    expect((await jira(`issue/${original}`)).fields.status.statusCategory.key).toBe('new');
    const calls = app.sandboxes.jira!.state.callLog.filter((c) => c.path.endsWith('/issueLink'));
    expect(calls.map((c) => c.status)).toEqual([503, 201]);
  });
});
