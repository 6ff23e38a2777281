import { startTestApp, type TestApp } from '../helpers/test-app';

const YAML = `
correlation: { groupWait: 0, resolveGrace: 1s, reopenWindow: 2h }
tickets: { noteInterval: 0, maxBackoff: 2s, pollInterval: 1 }
slack: { enabled: false }
teams: { enabled: false }
`;

const alert = (dedupKey: string) => ({
  dedupKey,
  status: 'firing',
  severity: 'critical',
  summary: `${dedupKey} down`,
  branch: dedupKey,
  labels: { alertname: 'HostDown' },
});

describe('a stored outbox command this version cannot read', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ yaml: YAML });
  });
  afterEach(() => app.close());

  it('is parked with the reason, and the worker goes on with the other commands', async () => {
    await app.post('generic', alert('muc-01'));
    await app.flush(2);
    const [first] = (await app.api('/api/incidents')).incidents;
    expect(first.tickets.jira).not.toBeNull();

    // A row written by another version (or by hand): the payload does not match the comment schema.
    const now = new Date(Date.now() - 1000).toISOString();
    const [inserted] = await app.database.query(
      `INSERT INTO outbox (incident_id, lane, kind, payload, state, attempts, not_before, created_at, updated_at)
       VALUES (?, 'jira', 'comment', '{"text":42}', 'pending', 0, ?, ?, ?) RETURNING id`,
      first.id,
      now,
      now,
      now,
    );
    const insertedId = Number(inserted!.id);

    await app.post('generic', alert('ham-02'));
    await app.flush(2);

    const parked = (await app.api(`/api/incidents/${first.id}`)).outbox;
    expect(parked).toEqual([
      expect.objectContaining({
        id: insertedId,
        kind: 'unreadable',
        state: 'parked',
        lastError: expect.stringContaining('payload.text'),
      }),
    ]);
    const timeline = (await app.api(`/api/incidents/${first.id}`)).timeline;
    expect(timeline.map((e: { type: string }) => e.type)).toContain('ticket_parked');
    // The other incident's tickets were created while the bad row sat in the outbox.
    const second = (await app.api('/api/incidents')).incidents.find((i: { id: number }) => i.id !== first.id);
    expect(second.tickets).toMatchObject({ servicenow: expect.any(Object), jira: expect.any(Object) });
  });
});
