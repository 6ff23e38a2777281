import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { startCaptureServer, runScript, type CaptureServer } from './capture-server';
import { startTestApp, WEBHOOK_TOKEN } from '../../helpers/test-app';

const SCRIPT = path.resolve(__dirname, '../../../integrations/monitoring/checkmk/itsm_bridge');
const FIXTURES = path.resolve(__dirname, '../../fixtures/checkmk');
const TOKEN = 'cmk-test-token-8d41b7e2c09a4f65';

type Context = Record<string, string>;
const load = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as T;

/** The environment Checkmk sets for a list-parameter notification script. */
function checkmkEnv(context: Context, url: string, token = TOKEN): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(context)) env[`NOTIFY_${k}`] = v;
  env.NOTIFY_PARAMETERS = `${url} ${token}`;
  env.NOTIFY_PARAMETER_1 = url;
  env.NOTIFY_PARAMETER_2 = token;
  return env;
}

/** Bulk stdin as cmk/base/notify.py writes it: globals, blank line, contexts, \x01 for newlines. */
function bulkStdin(contexts: Context[], url: string, token = TOKEN): string {
  const line = (k: string, v: string) => `${k}=${v.replace(/\r/g, '').replace(/\n/g, '\x01')}\n`;
  let text = line('PARAMETERS', `${url} ${token}`) + line('PARAMETER_1', url) + line('PARAMETER_2', token);
  for (const c of contexts)
    text +=
      '\n' +
      Object.entries(c)
        .map(([k, v]) => line(k, v))
        .join('');
  return text;
}

describe('Checkmk notification script', () => {
  let server: CaptureServer;
  beforeEach(async () => {
    server = await startCaptureServer();
  });
  afterEach(() => server.close());

  it('declares its display name and bulk capability where Checkmk looks for them', () => {
    const lines = fs.readFileSync(SCRIPT, 'utf8').split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env python3');
    expect(lines[1]).toBe('# itsm-bridge');
    expect(lines.slice(0, 5)).toContain('# Bulk: yes');
    expect(fs.statSync(SCRIPT).mode & 0o111).not.toBe(0);
  });

  const singles = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && f !== 'bulk.json');

  it.each(singles)('forwards the NOTIFY_ context of %s without parameters or secrets', async (file) => {
    const expected = load<{ context: Context }>(file);
    const env = {
      ...checkmkEnv(expected.context, server.url),
      NOTIFY_PARAMETER_3: 'extra-param',
      NOTIFY_HOST_SNMP_PASSWORD: 'community-string',
      NOTIFY_CONTACT_SECRET_PIN: '4711',
      OMD_SITE: expected.context.OMD_SITE ?? '',
    };
    const result = await runScript(SCRIPT, [], env);

    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/webhooks/checkmk');
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual(expected);
    expect(req?.body).not.toContain(TOKEN);
    expect(req?.body).not.toContain('community-string');
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('sends all contexts of a bulk notification in one request', async () => {
    const expected = load<{ contexts: Context[] }>('bulk.json');
    expect(expected.contexts.some((c) => Object.values(c).some((v) => v.includes('\n')))).toBe(true);
    const result = await runScript(SCRIPT, ['--bulk'], {}, bulkStdin(expected.contexts, server.url));

    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual(expected);
    expect(result.stdout).toContain('3 notification(s)');
  });

  it('accepts the password-store form "explicit <secret>"', async () => {
    const { context } = load<{ context: Context }>('problem-host.json');
    const result = await runScript(SCRIPT, [], checkmkEnv(context, server.url, `explicit ${TOKEN}`));
    expect(result.code).toBe(0);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('rejects "store <id>" permanently with a clear message and sends nothing', async () => {
    const { context } = load<{ context: Context }>('problem-host.json');
    const result = await runScript(SCRIPT, [], checkmkEnv(context, server.url, 'store itsm_bridge_token'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'store <id>') are not supported");
    expect(server.requests).toHaveLength(0);
  });

  it('falls back to $OMD_ROOT/etc/itsm-bridge.token when parameter 2 is empty', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'itsm-cmk-'));
    fs.mkdirSync(path.join(root, 'etc'));
    fs.writeFileSync(path.join(root, 'etc', 'itsm-bridge.token'), `${TOKEN}\n`);
    const { context } = load<{ context: Context }>('problem-host.json');
    const env = { ...checkmkEnv(context, server.url, ''), OMD_ROOT: root };
    const result = await runScript(SCRIPT, [], env);
    fs.rmSync(root, { recursive: true });
    expect(result.code).toBe(0);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('redacts the token if it was pasted into another variable', async () => {
    const { context } = load<{ context: Context }>('acknowledgement.json');
    const env = checkmkEnv({ ...context, NOTIFICATIONCOMMENT: `oops ${TOKEN}` }, server.url);
    const result = await runScript(SCRIPT, [], env);
    expect(result.code).toBe(0);
    const body = JSON.parse(server.requests[0]?.body ?? '') as { context: Context };
    expect(body.context.NOTIFICATIONCOMMENT).toBe('oops <redacted>');
  });

  it.each([
    [503, 1],
    [500, 1],
    [429, 1],
    [400, 2],
    [401, 2],
    [404, 2],
    [202, 0],
  ])('maps HTTP %i to exit code %i', async (status, code) => {
    const body = status >= 400 ? `{"error":"status-${status}"}` : '{"accepted":1,"alerts":["a"]}';
    server.respondWith({ status, headers: status === 503 ? { 'retry-after': '5' } : {}, body });
    const { context } = load<{ context: Context }>('problem-service.json');
    const result = await runScript(SCRIPT, [], checkmkEnv(context, server.url));
    expect(result.code).toBe(code);
    // Checkmk's spooler does the retrying; the script makes exactly one attempt.
    expect(server.requests).toHaveLength(1);
    if (status >= 400) expect(result.stderr).toContain(`status-${status}`);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('exits 1 when the bridge is unreachable and 2 when the URL parameter is missing', async () => {
    const { context } = load<{ context: Context }>('problem-service.json');
    const url = server.url;
    await server.close();
    const down = await runScript(SCRIPT, [], checkmkEnv(context, url));
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('unreachable');
    server = await startCaptureServer();
    const noUrl = await runScript(SCRIPT, [], { ...checkmkEnv(context, ''), NOTIFY_PARAMETER_1: '' });
    expect(noUrl.code).toBe(2);
    expect(server.requests).toHaveLength(0);
  });

  it('clips bulk values over 65,536 characters (Checkmk cuts only the environment)', async () => {
    const { contexts } = load<{ contexts: Context[] }>('bulk.json');
    const long = contexts.map((c, i) => (i === 1 ? { ...c, LONGSERVICEOUTPUT: 'z'.repeat(200000) } : c));
    const result = await runScript(SCRIPT, ['--bulk'], {}, bulkStdin(long, server.url));
    expect(result.code).toBe(0);
    const sent = JSON.parse(server.requests[0]?.body ?? '') as { contexts: Context[] };
    expect(sent.contexts).toHaveLength(3);
    expect(sent.contexts[1]?.LONGSERVICEOUTPUT).toHaveLength(65536);
    expect(sent.contexts[1]?.LONGSERVICEOUTPUT?.endsWith('…[truncated]')).toBe(true);
    expect(sent.contexts[0]).toEqual(contexts[0]);
  });

  it('replaces invalid UTF-8 in the environment instead of crashing', async () => {
    const { context } = load<{ context: Context }>('problem-service.json');
    const { SERVICEOUTPUT: _output, ...rest } = context;
    // Node cannot put raw bytes into an environment; the shell can (\377\376 is not UTF-8).
    const shell = `NOTIFY_SERVICEOUTPUT="$(printf 'spool \\377\\376 full')" exec "$0"`;
    const result = await runScript('/bin/sh', ['-c', shell, SCRIPT], checkmkEnv(rest, server.url));
    expect(result.stderr).not.toContain('Traceback');
    expect(result.code).toBe(0);
    const sent = JSON.parse(server.requests[0]?.body ?? '') as { context: Context };
    expect(sent.context.SERVICEOUTPUT).toBe('spool \uFFFD\uFFFD full');
  });

  it('replaces invalid UTF-8 on the bulk stdin instead of crashing', async () => {
    const { contexts } = load<{ contexts: Context[] }>('bulk.json');
    const text = bulkStdin(contexts, server.url).replace('SERVICEOUTPUT=', 'SERVICEOUTPUT=bad \u0000 ');
    const bytes = Buffer.from(text, 'utf8');
    bytes[bytes.indexOf(0)] = 0xff;
    const result = await runScript(SCRIPT, ['--bulk'], { LANG: 'C.UTF-8' }, bytes);
    expect(result.stderr).not.toContain('Traceback');
    expect(result.code).toBe(0);
    const sent = JSON.parse(server.requests[0]?.body ?? '') as { contexts: Context[] };
    expect(sent.contexts.some((c) => c.SERVICEOUTPUT?.startsWith('bad \uFFFD '))).toBe(true);
  });
});

describe('Checkmk notification script against the bridge', () => {
  it("delivers a bulk of 1,000 notifications (Checkmk's default maximum) in requests under the body limit", async () => {
    const app = await startTestApp();
    try {
      const { context } = load<{ context: Context }>('problem-service.json');
      const contexts = Array.from({ length: 1000 }, (_, i) => ({
        ...context,
        SERVICEDESC: `Print Queue Q${i}`,
        SERVICEPROBLEMID: String(10000 + i),
      }));
      const stdin = bulkStdin(contexts, app.url, WEBHOOK_TOKEN);
      expect(Buffer.byteLength(stdin)).toBeGreaterThan(1024 * 1024);
      const result = await runScript(SCRIPT, ['--bulk'], {}, stdin);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const accepted = [...result.stdout.matchAll(/accepted (\d+) notification/g)].map((m) => Number(m[1]));
      expect(accepted.length).toBeGreaterThan(1);
      expect(accepted.reduce((a, b) => a + b, 0)).toBe(1000);
      const stored = new BetterSqlite3(app.dbPath, { readonly: true });
      const rows = stored
        .prepare("select count(distinct dedup_key) n from alerts where source = 'checkmk'")
        .get();
      stored.close();
      expect(rows).toEqual({ n: 1000 });
    } finally {
      await app.close();
    }
  }, 60000);
});
