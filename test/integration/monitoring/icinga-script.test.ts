import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCaptureServer, runScript, type CaptureServer } from './capture-server';

const SCRIPT = path.resolve(
  __dirname,
  '../../../integrations/monitoring/icinga2/itsm-bridge-notification.py',
);
const FIXTURES = path.resolve(__dirname, '../../fixtures/icinga');
const TOKEN = 'icinga-test-token-5f0c2a9e7b1d4c38';
const WEB = 'https://icinga.dms.example/icingaweb2';

type IcingaPayload = Record<string, unknown> & { vars?: Record<string, string> };

/** Turns a fixture back into the arguments and env that itsm-bridge.conf would pass. */
function invocation(f: IcingaPayload): { args: string[]; env: Record<string, string> } {
  const args = [
    '--type',
    String(f.notificationType),
    '--host',
    String(f.host),
    '--host-state',
    String(f.hostState),
  ];
  const flags: Record<string, string> = {
    hostDisplayName: '--host-display-name',
    hostAddress: '--host-address',
    service: '--service',
    serviceDisplayName: '--service-display-name',
    serviceState: '--service-state',
    author: '--author',
    comment: '--comment',
  };
  for (const [key, flag] of Object.entries(flags))
    args.push(flag, f[key] === undefined ? '' : String(f[key]));
  // Icinga hands over the whole plugin output and timestamps as floats.
  args.push('--output', f.longOutput ? `${String(f.output)}\n${String(f.longOutput)}` : String(f.output));
  args.push('--timestamp', String(f.timestamp));
  if (f.lastStateChange !== undefined)
    args.push('--last-state-change', `${String(f.lastStateChange)}.418227`);
  if (f.url) args.push('--icingaweb-url', WEB);
  const env: Record<string, string> = { ITSM_BRIDGE_TOKEN: TOKEN, ITSM_BRIDGE_VAR_unsetvar: '' };
  for (const [k, v] of Object.entries(f.vars ?? {})) env[`ITSM_BRIDGE_VAR_${k}`] = v;
  return { args, env };
}

describe('Icinga 2 notification script', () => {
  let server: CaptureServer;
  beforeEach(async () => {
    server = await startCaptureServer();
  });
  afterEach(() => server.close());

  const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

  it.each(fixtures)('sends exactly the contract JSON of %s with a bearer token', async (file) => {
    const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as IcingaPayload;
    const { args, env } = invocation(expected);
    const result = await runScript(SCRIPT, ['--url', server.url, ...args], env);

    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/webhooks/icinga');
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual(expected);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('leaves out the service fields for a host notification and empty optional values', async () => {
    const result = await runScript(
      SCRIPT,
      ['--url', `${server.url}/`, '--type', 'problem', '--host', 'ber02-fs01', '--host-state', 'DOWN'],
      { ITSM_BRIDGE_TOKEN: TOKEN },
    );
    expect(result.code).toBe(0);
    const body = JSON.parse(server.requests[0]?.body ?? '') as Record<string, unknown>;
    expect(body).toEqual({
      notificationType: 'PROBLEM',
      host: 'ber02-fs01',
      hostState: 'DOWN',
      output: '',
      timestamp: expect.any(Number),
    });
    expect(Math.abs((body.timestamp as number) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('links to the monitoring module when asked and reads the token from a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itsm-icinga-'));
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const result = await runScript(
      SCRIPT,
      [
        '--url',
        server.url,
        '--token-file',
        tokenFile,
        '--icingaweb-url',
        WEB,
        '--icingaweb-module',
        'monitoring',
        '--type',
        'CUSTOM',
        '--host',
        'muc01-prt01',
        '--host-state',
        'UP',
        '--service',
        'spooler INVOICE01',
        '--service-state',
        'WARNING',
        '--output',
        'WARNING - 12 jobs',
        '--var',
        'branch=muc-01',
        '--timestamp',
        '1773130933',
      ],
      {},
    );
    fs.rmSync(dir, { recursive: true });
    expect(result.code).toBe(0);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const body = JSON.parse(server.requests[0]?.body ?? '') as Record<string, unknown>;
    expect(body.url).toBe(`${WEB}/monitoring/service/show?host=muc01-prt01&service=spooler+INVOICE01`);
    expect(body.vars).toEqual({ branch: 'muc-01' });
  });

  it('sends a last state change of 0 (Icinga 2.13, problem from the first check) as the notification time', async () => {
    // Icinga/icinga2#10217: $host.last_state_change$ is 0 when the very first check result is DOWN.
    const result = await runScript(
      SCRIPT,
      [
        ...['--url', server.url, '--type', 'PROBLEM', '--host', 'new-host', '--host-state', 'DOWN'],
        ...['--timestamp', '1773130933.250000', '--last-state-change', '0.000000'],
      ],
      { ITSM_BRIDGE_TOKEN: TOKEN },
    );
    expect(result.code).toBe(0);
    const body = JSON.parse(server.requests[0]?.body ?? '') as Record<string, unknown>;
    expect(body.lastStateChange).toBe(1773130933);
  });

  it('reads the token from ITSM_BRIDGE_TOKEN when the token-file argument is empty', async () => {
    const result = await runScript(SCRIPT, ['--url', server.url, '--token-file', '', ...problem], {
      ITSM_BRIDGE_TOKEN: TOKEN,
    });
    expect(result.code).toBe(0);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  const problem = [
    '--type',
    'PROBLEM',
    '--host',
    'muc01-prt01',
    '--host-state',
    'UP',
    '--timestamp',
    '1773130933',
  ];

  it('retries a 503 after the Retry-After delay and then succeeds', async () => {
    server.respondWith(
      { status: 503, headers: { 'retry-after': '1' }, body: '{"error":"store_unavailable"}' },
      { status: 202 },
    );
    const result = await runScript(SCRIPT, ['--url', server.url, '--retry-delay', '0.01', ...problem], {
      ITSM_BRIDGE_TOKEN: TOKEN,
    });
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(2);
    const gap = (server.requests[1]?.receivedAt ?? 0) - (server.requests[0]?.receivedAt ?? 0);
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(server.requests[1]?.body).toBe(server.requests[0]?.body);
  });

  it('caps a huge Retry-After so the command stays within the Icinga timeout', async () => {
    server.respondWith({ status: 503, headers: { 'retry-after': '3600' } }, { status: 202 });
    const started = Date.now();
    const result = await runScript(
      SCRIPT,
      ['--url', server.url, '--max-retry-after', '0.2', '--retry-delay', '0.01', ...problem],
      { ITSM_BRIDGE_TOKEN: TOKEN },
    );
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('retries a 429 with its own backoff', async () => {
    server.respondWith({ status: 429 }, { status: 202 });
    const result = await runScript(SCRIPT, ['--url', server.url, '--retry-delay', '0.05', ...problem], {
      ITSM_BRIDGE_TOKEN: TOKEN,
    });
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it('exits 1 after the last retry when the bridge keeps answering 503', async () => {
    server.respondWith({ status: 503, headers: { 'retry-after': '0' }, body: '{"error":"unavailable"}' });
    const result = await runScript(
      SCRIPT,
      ['--url', server.url, '--retries', '2', '--retry-delay', '0.01', ...problem],
      {
        ITSM_BRIDGE_TOKEN: TOKEN,
      },
    );
    expect(result.code).toBe(1);
    expect(server.requests).toHaveLength(3);
    expect(result.stderr).toContain('after 3 attempts');
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('exits 2 on a 400 without retrying and prints the server error', async () => {
    const error = '{"error":"invalid_payload","issues":[{"path":"hostState","message":"Invalid option"}]}';
    server.respondWith({ status: 400, body: error });
    const result = await runScript(SCRIPT, ['--url', server.url, '--retry-delay', '0.01', ...problem], {
      ITSM_BRIDGE_TOKEN: TOKEN,
    });
    expect(result.code).toBe(2);
    expect(server.requests).toHaveLength(1);
    expect(result.stderr).toContain(error);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('exits 2 on a 401 without retrying', async () => {
    server.respondWith({ status: 401, body: '{"error":"unauthorized"}' });
    const result = await runScript(SCRIPT, ['--url', server.url, ...problem], {
      ITSM_BRIDGE_TOKEN: 'wrong-token',
    });
    expect(result.code).toBe(2);
    expect(server.requests).toHaveLength(1);
  });

  it('exits 1 when the bridge cannot be reached', async () => {
    const url = server.url;
    await server.close();
    const result = await runScript(
      SCRIPT,
      ['--url', url, '--retries', '1', '--retry-delay', '0.01', ...problem],
      {
        ITSM_BRIDGE_TOKEN: TOKEN,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unreachable after 2 attempts/);
    server = await startCaptureServer(); // afterEach closes it
  });

  it('refuses to send without a token or with an unknown state', async () => {
    const noToken = await runScript(SCRIPT, ['--url', server.url, ...problem], {});
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('no token');
    const badState = await runScript(
      SCRIPT,
      ['--url', server.url, '--type', 'PROBLEM', '--host', 'h', '--host-state', 'SIDEWAYS'],
      { ITSM_BRIDGE_TOKEN: TOKEN },
    );
    expect(badState.code).toBe(2);
    expect(server.requests).toHaveLength(0);
  });
});
