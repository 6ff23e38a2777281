import { retryAfterViolations } from '../../../integrations/sandbox/jira/emulator';
import { IntegrationError } from '../../../src/errors';
import { basicAuth, draft, startJira } from './harness';

describe('Jira adapter under faults and the emulator rejecting what Jira rejects', () => {
  let env: Awaited<ReturnType<typeof startJira>>;
  const api = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${env.server.url}${path}`, {
      method,
      headers: { Authorization: basicAuth, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  beforeEach(async () => {
    env = await startJira();
  });
  afterEach(() => env.server.close());

  it('turns 429 into a retryable error with Retry-After and sends Jira rate-limit headers', async () => {
    env.emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 9 });
    const err = await env.adapter.create(draft()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ system: 'jira', status: 429, retryable: true, retryAfterSeconds: 9 });
    env.emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 3 });
    const res = await api('/rest/api/3/myself');
    expect(res.status).toBe(429);
    expect(res.headers.get('ratelimit-reason')).toBe('jira-burst-based');
    expect(res.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('enforces the per-issue write limit (20 per 2 s) with jira-per-issue-on-write', async () => {
    const ref = await env.adapter.create(draft());
    const results = await Promise.all(
      Array.from({ length: 21 }, (_, i) =>
        env.adapter.addNote(ref, `n${i}`).then(
          () => 'ok',
          (e: unknown) => e,
        ),
      ),
    );
    const limited = results.filter((r) => r instanceof IntegrationError);
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ status: 429, retryable: true });
    expect((limited[0] as IntegrationError).message).toContain('jira-per-issue-on-write');
    expect(retryAfterViolations(env.emulator.state.callLog)).toEqual([]);
  });

  it.each([502, 503])('turns %i into a retryable error', async (status) => {
    env.emulator.faults.script.push({ kind: 'error', status });
    await expect(env.adapter.findByIncidentKey('k', 'p')).rejects.toMatchObject({ status, retryable: true });
  });

  it('recovers from an ambiguous create timeout: the issue exists and findByIncidentKey finds it', async () => {
    env.emulator.faults.script.push({ kind: 'timeout', method: 'POST', path: '/issue', holdMs: 3000 });
    const err = await env.adapter.create(draft()).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: null, retryable: true });
    expect(env.emulator.state.issues).toHaveLength(1);
    await expect(env.adapter.findByIncidentKey(draft().incidentKey, 'dms-app')).resolves.toMatchObject({
      key: 'OPS-1',
    });
  });

  it('maps a 400 with field errors to a permanent error naming the field', async () => {
    const bad = await startJira({ config: { defaultProject: { projectKey: 'NOPE' } } });
    try {
      const err = await bad.adapter.create(draft()).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 400, retryable: false });
      expect((err as Error).message).toContain('project: Specify a valid project ID or key');
    } finally {
      await bad.server.close();
    }
  });

  it('rejects a plain-string description in v3 and a missing summary', async () => {
    const res = await api('/rest/api/3/issue', 'POST', {
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, description: 'plain' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errorMessages: string[]; errors: Record<string, string> };
    expect(body.errorMessages).toEqual([]);
    expect(Object.keys(body.errors).sort()).toEqual(['description', 'summary']);
    const badRoot = await api('/rest/api/3/issue', 'POST', {
      fields: {
        project: { key: 'OPS' },
        issuetype: { name: 'Task' },
        summary: 's',
        description: { type: 'doc', content: [] },
      },
    });
    expect(badRoot.status).toBe(400);
    expect(env.emulator.state.issues).toHaveLength(0);
  });

  it('rejects an unknown transition id with 400', async () => {
    const ref = await env.adapter.create(draft());
    const res = await api(`/rest/api/3/issue/${ref.key}/transitions`, 'POST', { transition: { id: '999' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errorMessages: ["Transition id '999' is not valid for this issue."],
      errors: {},
    });
  });

  it('pages /search/jql with nextPageToken, answers 410 on the old /search, and stores issue properties', async () => {
    for (let i = 0; i < 3; i++) await env.adapter.create(draft({ incidentKey: `k${i}` }));
    const page1 = (await (
      await api('/rest/api/3/search/jql?jql=project%20%3D%20OPS%20ORDER%20BY%20created%20ASC&maxResults=2')
    ).json()) as {
      issues: { key: string }[];
      nextPageToken?: string;
      isLast: boolean;
    };
    expect(page1.issues).toHaveLength(2);
    expect(page1.isLast).toBe(false);
    const page2 = (await (
      await api('/rest/api/3/search/jql', 'POST', {
        jql: 'project = OPS',
        maxResults: 2,
        nextPageToken: page1.nextPageToken,
      })
    ).json()) as {
      issues: unknown[];
      isLast: boolean;
    };
    expect(page2).toMatchObject({ isLast: true });
    expect(page2.issues).toHaveLength(1);
    expect((await api('/rest/api/3/search?jql=project=OPS')).status).toBe(410);
    expect((await api('/rest/api/3/issue/OPS-1/properties/x', 'PUT', { a: 1 })).status).toBe(201);
    expect(await (await api('/rest/api/3/issue/OPS-1/properties/x')).json()).toEqual({
      key: 'x',
      value: { a: 1 },
    });
    const prop = (await (
      await api(
        `/rest/api/3/search/jql?jql=${encodeURIComponent('issue.property[itsm-bridge].incidentKey = "k1"')}&fields=summary`,
      )
    ).json()) as {
      issues: { key: string }[];
    };
    expect(prop.issues.map((i) => i.key)).toEqual(['OPS-2']);
  });

  it('answers 401 without credentials and accepts a Data Center PAT', async () => {
    expect((await fetch(`${env.server.url}/rest/api/3/myself`)).status).toBe(401);
    const pat = await fetch(`${env.server.url}/rest/api/2/myself`, {
      headers: { Authorization: 'Bearer sandbox-pat' },
    });
    expect(pat.status).toBe(200);
  });
});
