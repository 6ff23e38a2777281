import { verifyAudit } from '../../src/app/verify-audit';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/test-app';

const YAML = `
correlation: { groupWait: 0, resolveGrace: 1s, reopenWindow: 2h }
tickets: { noteInterval: 0, maxBackoff: 2s, pollInterval: 1 }
slack: { enabled: false }
teams: { enabled: false }
providers:
  - { name: infra, displayName: DMS Infrastructure, assignmentGroup: DMS Infrastructure, jiraProject: INFRA }
  - { name: app, displayName: DMS Application, assignmentGroup: DMS Application, jiraProject: DMSAPP }
routing:
  defaults: { provider: infra, groupBy: [branch] }
  rules:
    - name: spooler
      match: [{ labels: { alertname: PrintSpoolerDown } }]
      provider: infra
      impact: 1
      urgency: 1
      groupBy: [branch]
`;

const note = {
  situation: 'Invoicing spooler in muc-01 stopped; 600 users cannot print invoices',
  actionsTaken: 'Queue cleared, spooler restarted twice',
  nextSteps: 'Check the DMS print interface (app side)',
  impact: { branches: ['muc-01'], users: 600 },
};

describe('hand-offs through the API', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ yaml: YAML });
  });
  afterEach(() => app.close());

  const post = async (path: string, body?: unknown) => {
    const res = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    return { status: res.status, json: (await res.json()) as any };
  };

  async function incidentWithTickets() {
    await app.post('generic', {
      dedupKey: 'spooler-muc-01',
      status: 'firing',
      severity: 'critical',
      summary: 'Print spooler down in muc-01',
      branch: 'muc-01',
      labels: { alertname: 'PrintSpoolerDown' },
    });
    await app.flush(2);
    const [inc] = (await app.api('/api/incidents')).incidents;
    return app.api(`/api/incidents/${inc.id}`);
  }

  it('offers, refuses what does not fit, and on accept moves the incident and both tickets', async () => {
    const inc = await incidentWithTickets();
    expect(inc.owner).toBe('infra');

    const offered = await post(`/api/incidents/${inc.id}/handoffs`, { to: 'app', note });
    expect(offered.status).toBe(201);
    expect(offered.json).toMatchObject({ state: 'offered', from: 'infra', to: 'app', offeredBy: 'api' });
    // P1: five minutes to accept.
    expect(Date.parse(offered.json.deadline) - Date.parse(offered.json.offeredAt)).toBe(5 * 60_000);

    expect(await post(`/api/incidents/${inc.id}/handoffs`, { to: 'app', note })).toMatchObject({
      status: 409,
      json: { error: 'already_open' },
    });
    expect(await post(`/api/incidents/${inc.id}/handoffs`, { to: 'nobody', note })).toMatchObject({
      status: 400,
      json: { error: 'unknown_provider', issues: [{ path: 'to' }] },
    });
    const missing = await post(`/api/incidents/${inc.id}/handoffs`, {
      to: 'app',
      note: { situation: 'x', actionsTaken: 'y' },
    });
    expect(missing).toMatchObject({ status: 400, json: { issues: [{ path: 'note.nextSteps' }] } });
    expect((await post(`/api/incidents/999/handoffs`, { to: 'app', note })).status).toBe(404);
    expect((await post(`/api/handoffs/${offered.json.id}/reject`, { reason: '  ' })).status).toBe(400);

    // Ownership moves only on accept; a second accept is told who won.
    expect((await app.api(`/api/incidents/${inc.id}`)).owner).toBe('infra');
    expect(await post(`/api/handoffs/${offered.json.id}/accept`)).toMatchObject({
      status: 200,
      json: { state: 'accepted', decidedBy: 'api' },
    });
    const again = await post(`/api/handoffs/${offered.json.id}/accept`);
    expect(again).toMatchObject({ status: 409, json: { error: 'not_open' } });
    expect(again.json.message).toContain('already accepted by api');
    await app.flush(2);

    const after = await app.api(`/api/incidents/${inc.id}`);
    expect(after.owner).toBe('app');
    expect(after.ownership).toEqual([
      { provider: 'infra', from: inc.openedAt, to: expect.any(String) },
      { provider: 'app', from: after.ownership[0].to, to: null },
    ]);
    expect(after.handoffs).toEqual([expect.objectContaining({ id: offered.json.id, state: 'accepted' })]);
    expect(after.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['handoff_offered', 'handoff_accepted', 'ticket_reassign']),
    );

    // ServiceNow: the receiving provider's group and the note as a work note; Jira: the note as a comment.
    const sn = app.sandboxes.servicenow!.state;
    const row = sn.incidents.find((r) => r.sys_id === inc.tickets.servicenow.sys_id)!;
    const group = sn.groups.find((g) => g.sys_id === row.assignment_group)!;
    expect(group.name).toBe('DMS Application');
    const notes = sn.journal.filter((j) => j.element_id === row.sys_id).map((j) => String(j.value));
    expect(notes.join('\n')).toContain('Hand-off from infra to app, accepted by api');
    expect(notes.join('\n')).toContain('Next steps: Check the DMS print interface');
    const issue = app.sandboxes.jira!.state.issues.find((i) => i.key === inc.tickets.jira.key)!;
    expect(JSON.stringify(issue.comments.map((c) => c.body))).toContain('Hand-off from infra to app');

    expect((await verifyAudit(app.store)).ok).toBe(true);
  });

  it('rejects with a reason, lists open hand-offs, and cancels', async () => {
    const inc = await incidentWithTickets();
    const first = await post(`/api/incidents/${inc.id}/handoffs`, { to: 'app', note });
    expect((await app.api('/api/handoffs?state=open')).handoffs).toEqual([
      expect.objectContaining({ id: first.json.id, state: 'offered' }),
    ]);
    expect(
      await post(`/api/handoffs/${first.json.id}/reject`, { reason: 'the interface is fine' }),
    ).toMatchObject({ status: 200, json: { state: 'rejected', reason: 'the interface is fine' } });
    expect((await app.api('/api/handoffs?state=open')).handoffs).toEqual([]);
    const second = await post(`/api/incidents/${inc.id}/handoffs`, { to: 'app', note });
    expect(await post(`/api/handoffs/${second.json.id}/cancel`)).toMatchObject({
      status: 200,
      json: { state: 'cancelled' },
    });
    expect((await app.api(`/api/incidents/${inc.id}`)).owner).toBe('infra');
    const bad = await fetch(`${app.url}/api/handoffs?state=maybe`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(bad.status).toBe(400);
    const anonymous = await fetch(`${app.url}/api/handoffs/${second.json.id}/accept`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
  });
});
