import { createJiraTicketSystem } from '../../../integrations/jira/jira-ticket-system';
import { Secret } from '../../../src/config/secret';
import { IntegrationError } from '../../../src/errors';
import { basicAuth, draft, jiraDriver, startJira } from './harness';

const ANNA = '712020:3f6c1a2e-8d4b-4f0e-9a57-1c2d3e4f5a61';
const anna = {
  email: 'anna.schmidt@example.com',
  name: 'Anna Schmidt',
  note: 'Taken by Anna Schmidt (Slack)',
};

describe('Jira acknowledge (Cloud v3)', () => {
  let env: Awaited<ReturnType<typeof startJira>>;
  beforeEach(async () => {
    // Non-default transition ids: the adapter must find In Progress by status category.
    env = await startJira({
      emulator: {
        transitions: [
          { id: '101', name: 'Back to open', to: '10000' },
          { id: '205', name: 'Start work', to: '3' },
          { id: '931', name: 'Resolve', to: '10001' },
        ],
      },
    });
  });
  afterEach(() => env.server.close());

  const issue = () => env.emulator.state.issues[0]!;
  const calls = (method: string, suffix: string) =>
    env.emulator.state.callLog.filter((c) => c.method === method && c.path.endsWith(suffix));
  const api = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${env.server.url}${path}`, {
      method,
      headers: { Authorization: basicAuth, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('assigns the user found by e-mail, moves the issue to In Progress and comments in ADF', async () => {
    const ref = await env.adapter.create(draft());
    await env.adapter.acknowledge(ref, anna);
    expect(issue().assignee).toBe(ANNA);
    expect(issue().statusId).toBe('3');
    expect(issue().comments.map((c) => JSON.stringify(c.body))).toEqual([
      expect.stringContaining('Taken by Anna Schmidt (Slack)'),
    ]);
    expect(issue().comments[0]?.body).toMatchObject({ type: 'doc', version: 1 });
    const got = (await (await api(`/rest/api/3/issue/${ref.key}?fields=assignee,status`)).json()) as {
      fields: {
        assignee: { accountId: string; displayName: string };
        status: { statusCategory: { key: string } };
      };
    };
    expect(got.fields.assignee).toMatchObject({ accountId: ANNA, displayName: 'Anna Schmidt' });
    expect(got.fields.status.statusCategory.key).toBe('indeterminate');
    expect(issue().changelog.flatMap((c) => c.items.map((i) => `${i.field}:${i.toString}`))).toEqual([
      'assignee:Anna Schmidt',
      'status:In Progress',
    ]);
  });

  it('does not transition or reassign a second time (only the comment is added again)', async () => {
    const ref = await env.adapter.create(draft());
    await env.adapter.acknowledge(ref, anna);
    await env.adapter.acknowledge(ref, anna);
    expect(calls('POST', '/transitions')).toHaveLength(1);
    expect(calls('PUT', `/issue/${ref.key}`)).toHaveLength(1);
    expect(calls('GET', '/user/search')).toHaveLength(1); // cached
    expect(issue()).toMatchObject({ assignee: ANNA, statusId: '3' });
    expect(issue().comments).toHaveLength(2);
  });

  it('still transitions when nobody has that e-mail, and names them in the comment', async () => {
    const ref = await env.adapter.create(draft());
    await env.adapter.acknowledge(ref, {
      email: 'max.muster@example.com',
      name: 'Max Muster',
      note: 'on it',
    });
    expect(issue().assignee ?? null).toBeNull();
    expect(issue().statusId).toBe('3');
    expect(calls('PUT', `/issue/${ref.key}`)).toHaveLength(0);
    expect(JSON.stringify(issue().comments[0]?.body)).toContain('Max Muster <max.muster@example.com>');
  });

  it('does not pick a prefix match: the hit must carry the exact e-mail', async () => {
    const ref = await env.adapter.create(draft());
    // "anna" matches Anna Schmidt by prefix, but it is not her address.
    await env.adapter.acknowledge(ref, { email: 'anna', name: 'Anna', note: 'x' });
    expect(issue().assignee ?? null).toBeNull();
  });

  it('leaves a done issue done and only comments', async () => {
    const ref = await env.adapter.create(draft());
    await env.adapter.resolve(ref, { code: '', notes: '' });
    await env.adapter.acknowledge(ref, anna);
    expect(issue().statusId).toBe('10001');
    expect(issue().assignee ?? null).toBeNull();
    expect(calls('POST', '/transitions')).toHaveLength(1);
    expect(JSON.stringify(issue().comments.at(-1)?.body)).toContain('Taken by Anna Schmidt');
  });

  it('pauses the gate on a 429 from user search and maps it to a retryable IntegrationError', async () => {
    const driver = jiraDriver(env.config);
    const { gate } = driver;
    const adapter = createJiraTicketSystem({
      config: env.config,
      baseUrl: env.server.url,
      transport: driver,
    });
    const ref = await adapter.create(draft());
    env.emulator.faults.script.push({ kind: 'rateLimit', path: '/user/search', retryAfterSeconds: 1 });
    const err = await adapter.acknowledge(ref, anna).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ system: 'jira', status: 429, retryable: true, retryAfterSeconds: 1 });
    expect(gate.pausedUntil).toBeGreaterThan(Date.now());
    await adapter.acknowledge(ref, anna); // waits for the gate, then succeeds
    expect(issue()).toMatchObject({ assignee: ANNA, statusId: '3' });
  });

  it('maps an unknown issue to a permanent IntegrationError', async () => {
    await expect(
      env.adapter.acknowledge({ id: '99999', key: 'OPS-999', url: 'x' }, anna),
    ).rejects.toMatchObject({ system: 'jira', status: 404, retryable: false });
  });

  describe('emulator', () => {
    it('finds users by e-mail or name prefix and rejects a search without query', async () => {
      const res = await api('/rest/api/3/user/search?query=anna.schmidt%40example.com');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([
        expect.objectContaining({
          accountId: ANNA,
          accountType: 'atlassian',
          emailAddress: 'anna.schmidt@example.com',
          displayName: 'Anna Schmidt',
          active: true,
        }),
      ]);
      const byName = (await (await api('/rest/api/3/user/search?query=weber')).json()) as unknown[];
      expect(byName).toEqual([expect.objectContaining({ displayName: 'Jonas Weber' })]);
      const bridge = (await (await api('/rest/api/3/user/search?query=itsm-bridge@example.com')).json()) as {
        accountId: string;
      }[];
      expect(bridge[0]?.accountId).toBe(env.emulator.state.account.accountId);
      expect((await api('/rest/api/3/user/search')).status).toBe(400);
    });

    it('rejects an unknown accountId and a v3 assignee by name with errors.assignee', async () => {
      const ref = await env.adapter.create(draft());
      const unknown = await api(`/rest/api/3/issue/${ref.key}`, 'PUT', {
        fields: { assignee: { accountId: '712020:does-not-exist' } },
      });
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toEqual({ errorMessages: [], errors: { assignee: expect.any(String) } });
      const byName = await api(`/rest/api/3/issue/${ref.key}`, 'PUT', {
        fields: { assignee: { name: 'anna' } },
      });
      expect(byName.status).toBe(400);
      const created = await api('/rest/api/3/issue', 'POST', {
        fields: {
          project: { key: 'OPS' },
          issuetype: { name: 'Task' },
          summary: 's',
          assignee: { accountId: 'nope' },
        },
      });
      expect(created.status).toBe(400);
      expect(((await created.json()) as { errors: Record<string, string> }).errors).toHaveProperty(
        'assignee',
      );
      expect(env.emulator.state.issues).toHaveLength(1);
      // null unassigns.
      await api(`/rest/api/3/issue/${ref.key}`, 'PUT', { fields: { assignee: { accountId: ANNA } } });
      expect(issue().assignee).toBe(ANNA);
      expect((await api(`/rest/api/3/issue/${ref.key}`, 'PUT', { fields: { assignee: null } })).status).toBe(
        204,
      );
      expect(issue().assignee).toBeNull();
    });
  });
});

describe('Jira acknowledge (Data Center v2, PAT)', () => {
  it('assigns by username, transitions and comments in wiki markup', async () => {
    const env = await startJira({
      config: { flavour: 'datacenter', auth: { type: 'pat', token: new Secret('sandbox-pat') } },
    });
    try {
      const ref = await env.adapter.create(draft());
      await env.adapter.acknowledge(ref, anna);
      await env.adapter.acknowledge(ref, anna);
      const issue = env.emulator.state.issues[0]!;
      expect(issue).toMatchObject({ assignee: ANNA, statusId: '3' });
      expect(issue.comments.map((c) => c.body)).toEqual([anna.note, anna.note]);
      const log = env.emulator.state.callLog;
      expect(log.every((c) => c.path.startsWith('/rest/api/2/'))).toBe(true);
      expect(log.filter((c) => c.path.endsWith('/user/search'))[0]?.query).toContain('username=');
      expect(log.filter((c) => c.method === 'POST' && c.path.endsWith('/transitions'))).toHaveLength(1);
    } finally {
      await env.server.close();
    }
  });
});
