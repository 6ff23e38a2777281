import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCaptureServer, runScript, type CaptureServer } from './capture-server';

const SCRIPT = path.resolve(__dirname, '../../../integrations/monitoring/generic/itsm-alert.sh');
const FIXTURES = path.resolve(__dirname, '../../fixtures/generic');
const TOKEN = 'generic-test-token-3b9e61f0a2d84c7e';

interface GenericAlert {
  dedupKey: string;
  status: 'firing' | 'resolved';
  severity: string;
  summary: string;
  host?: string;
  service?: string;
  branch?: string;
  details?: string;
  labels?: Record<string, string>;
}

/** The itsm-alert.sh command line that produces a fixture. */
function argsFor(a: GenericAlert): string[] {
  const args = ['-k', a.dedupKey, '-s', a.summary, '-S', a.severity];
  if (a.status === 'resolved') args.push('-r');
  if (a.host) args.push('-H', a.host);
  if (a.service) args.push('-c', a.service);
  if (a.branch) args.push('-b', a.branch);
  if (a.details) args.push('-d', a.details);
  for (const [k, v] of Object.entries(a.labels ?? {})) args.push('-l', `${k}=${v}`);
  return args;
}

describe('generic itsm-alert.sh wrapper', () => {
  let server: CaptureServer;
  beforeEach(async () => {
    server = await startCaptureServer();
  });
  afterEach(() => server.close());

  it.each(['firing.json', 'resolved.json'])('posts exactly the documented JSON of %s', async (file) => {
    const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as GenericAlert;
    const result = await runScript('sh', [SCRIPT, ...argsFor(expected)], {
      ITSM_BRIDGE_URL: server.url,
      ITSM_BRIDGE_TOKEN: TOKEN,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/webhooks/generic');
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual(expected);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('escapes quotes, backslashes, tabs and newlines into valid JSON', async () => {
    const tricky = 'queue "INV\\01"\tpaper jam\nsecond line';
    const result = await runScript(
      'sh',
      [SCRIPT, '-k', 'k1', '-s', tricky, '-d', tricky, '-l', 'path=C:\\spool'],
      {
        ITSM_BRIDGE_URL: `${server.url}/`,
        ITSM_BRIDGE_TOKEN: TOKEN,
      },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      dedupKey: 'k1',
      status: 'firing',
      severity: 'warning',
      summary: tricky,
      details: tricky,
      labels: { path: 'C:\\spool' },
    });
  });

  it('reads the token from ITSM_BRIDGE_TOKEN_FILE', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itsm-generic-'));
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, `${TOKEN}\n`);
    const result = await runScript('sh', [SCRIPT, '-k', 'k2', '-s', 'test'], {
      ITSM_BRIDGE_URL: server.url,
      ITSM_BRIDGE_TOKEN_FILE: file,
    });
    fs.rmSync(dir, { recursive: true });
    expect(result.code).toBe(0);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it.each([
    [202, 0],
    [503, 1],
    [429, 1],
    [400, 2],
    [401, 2],
  ])('maps HTTP %i to exit code %i without retries configured', async (status, code) => {
    server.respondWith({ status, body: `{"error":"status-${status}"}` });
    const result = await runScript('sh', [SCRIPT, '-k', 'k3', '-s', 'x', '-S', 'critical'], {
      ITSM_BRIDGE_URL: server.url,
      ITSM_BRIDGE_TOKEN: TOKEN,
      ITSM_BRIDGE_RETRIES: '0',
    });
    expect(result.code).toBe(code);
    expect(server.requests).toHaveLength(1);
    if (code !== 0) expect(result.stderr).toContain(`status-${status}`);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('retries a 503 after its Retry-After and then succeeds', async () => {
    server.respondWith({ status: 503, headers: { 'retry-after': '1' } }, { status: 202 });
    const result = await runScript('sh', [SCRIPT, '-k', 'k4', '-s', 'x'], {
      ITSM_BRIDGE_URL: server.url,
      ITSM_BRIDGE_TOKEN: TOKEN,
      ITSM_BRIDGE_RETRIES: '2',
    });
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(2);
    const gap = (server.requests[1]?.receivedAt ?? 0) - (server.requests[0]?.receivedAt ?? 0);
    expect(gap).toBeGreaterThanOrEqual(900);
  });

  it('exits 1 when the bridge is unreachable and 2 on bad usage, sending nothing', async () => {
    const url = server.url;
    await server.close();
    const down = await runScript('sh', [SCRIPT, '-k', 'k5', '-s', 'x'], {
      ITSM_BRIDGE_URL: url,
      ITSM_BRIDGE_TOKEN: TOKEN,
      ITSM_BRIDGE_RETRIES: '0',
    });
    expect(down.code).toBe(1);
    server = await startCaptureServer();
    const env = { ITSM_BRIDGE_URL: server.url, ITSM_BRIDGE_TOKEN: TOKEN };
    expect((await runScript('sh', [SCRIPT, '-k', 'k6', '-s', 'x', '-S', 'fatal'], env)).code).toBe(2);
    expect((await runScript('sh', [SCRIPT, '-s', 'no key'], env)).code).toBe(2);
    expect(
      (await runScript('sh', [SCRIPT, '-k', 'k7', '-s', 'x'], { ITSM_BRIDGE_URL: server.url })).code,
    ).toBe(2);
    expect(server.requests).toHaveLength(0);
  });
});
