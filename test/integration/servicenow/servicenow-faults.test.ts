import { retryAfterViolations } from '../../../integrations/sandbox/servicenow/emulator';
import { IntegrationError } from '../../../src/errors';
import { Secret } from '../../../src/config/secret';
import { basic, draft, SANDBOX_OAUTH, startServiceNow } from './harness';

describe('ServiceNow adapter under faults', () => {
  let env: Awaited<ReturnType<typeof startServiceNow>>;
  beforeEach(async () => {
    env = await startServiceNow();
  });
  afterEach(() => env.server.close());

  it('turns 429 with Retry-After into a retryable error carrying the wait, with the rate-limit headers', async () => {
    env.emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 7, path: '/incident' });
    const err = await env.adapter.findByIncidentKey('k', 'p').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 7 });
    const res = await fetch(`${env.server.url}/api/now/table/incident`, {
      headers: { Authorization: 'Basic x' },
    });
    expect(res.status).toBe(401);
  });

  it('sends the vendor rate-limit headers (Reset as Unix time) on a rule-based 429', async () => {
    env.emulator.faults.requestRate = { limit: 2, windowMs: 60_000 };
    const call = () =>
      fetch(`${env.server.url}/api/now/table/incident`, {
        headers: { Authorization: 'Basic aXRzbS5icmlkZ2U6c2FuZGJveA==' },
      });
    await call();
    await call();
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(limited.headers.get('x-ratelimit-rule')).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(await limited.json()).toMatchObject({
      error: { message: 'Rate limit exceeded' },
      status: 'failure',
    });
  });

  it('answers 429 without Retry-After beyond the semaphore cap (4 concurrent)', async () => {
    env.emulator.faults.maxConcurrent = 4;
    env.emulator.faults.latencyMs = 100;
    const auth = { Authorization: 'Basic aXRzbS5icmlkZ2U6c2FuZGJveA==' };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => fetch(`${env.server.url}/api/now/table/incident`, { headers: auth })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(results.find((r) => r.status === 429)?.headers.get('retry-after')).toBeNull();
  });

  it('never exceeds the configured concurrency itself (client-side cap)', async () => {
    env.emulator.faults.maxConcurrent = 4;
    env.emulator.faults.latencyMs = 50;
    await Promise.all(Array.from({ length: 10 }, (_, i) => env.adapter.findByIncidentKey(`k${i}`, 'p')));
    expect(env.emulator.state.callLog.every((c) => c.status === 200)).toBe(true);
  });

  it.each([500, 503])('turns %i into a retryable error', async (status) => {
    env.emulator.faults.script.push({ kind: 'error', status });
    await expect(env.adapter.findByIncidentKey('k', 'p')).rejects.toMatchObject({ status, retryable: true });
  });

  it('turns a missing close code into a permanent 403 data-policy error', async () => {
    const ref = await env.adapter.create(draft());
    const res = await fetch(`${env.server.url}/api/now/table/incident/${ref.id}`, {
      method: 'PATCH',
      headers: { Authorization: 'Basic aXRzbS5icmlkZ2U6c2FuZGJveA==', 'Content-Type': 'application/json' },
      body: JSON.stringify({ state: '6' }),
    });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { detail: string } };
    expect(body.error.detail).toContain('Resolution code is mandatory');
    expect(env.emulator.state.incidents[0]?.state).toBe('1');
  });

  it('recovers from an ambiguous timeout on create: the write landed and findByIncidentKey finds it', async () => {
    env.emulator.faults.script.push({ kind: 'timeout', method: 'POST', holdMs: 3000 });
    const err = await env.adapter.create(draft()).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: null, retryable: true });
    expect(env.emulator.state.incidents).toHaveLength(1);
    const found = await env.adapter.findByIncidentKey(draft().incidentKey, 'dms-app');
    expect(found?.key).toBe('INC0010001');
  });

  it('keeps no request inside a Retry-After window when the caller waits as told', async () => {
    env.emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 1 });
    const err = (await env.adapter.findByIncidentKey('k', 'p').catch((e: unknown) => e)) as IntegrationError;
    await new Promise((r) => setTimeout(r, (err.retryAfterSeconds ?? 0) * 1000));
    await env.adapter.findByIncidentKey('k', 'p');
    expect(retryAfterViolations(env.emulator.state.callLog)).toEqual([]);
    // …and the check does catch an impatient client (the adapter's lane driver would wait: plain fetch).
    env.emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 5 });
    await env.adapter.findByIncidentKey('k', 'p').catch(() => undefined);
    await fetch(`${env.server.url}/api/now/table/incident`, { headers: { Authorization: basic() } });
    expect(retryAfterViolations(env.emulator.state.callLog)).toHaveLength(1);
  });
});

describe('ServiceNow OAuth', () => {
  it('gets a token with the password grant and refreshes it after a 401', async () => {
    const env = await startServiceNow({ config: { auth: SANDBOX_OAUTH } });
    try {
      await env.adapter.findByIncidentKey('k', 'p');
      env.emulator.expireTokens();
      await env.adapter.findByIncidentKey('k', 'p');
      const log = env.emulator.state.callLog.map((c) => `${c.method} ${c.path} ${c.status}`);
      expect(log).toEqual([
        'POST /oauth_token.do 200',
        'GET /api/now/table/incident 200',
        'GET /api/now/table/incident 401',
        'POST /oauth_token.do 200',
        'GET /api/now/table/incident 200',
      ]);
      expect(env.emulator.state.refreshTokens.size).toBe(2);
    } finally {
      await env.server.close();
    }
  });

  it('reports refused client credentials as a permanent error', async () => {
    const env = await startServiceNow({
      config: {
        auth: {
          type: 'oauth',
          clientId: 'itsm-bridge',
          clientSecret: new Secret('wrong'),
          username: 'itsm.bridge',
        },
      },
    });
    try {
      await expect(env.adapter.findByIncidentKey('k', 'p')).rejects.toMatchObject({
        retryable: false,
        system: 'servicenow',
      });
    } finally {
      await env.server.close();
    }
  });
});
