import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';

function server(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-cfg-'));
  writeFileSync(join(dir, 'c.yaml'), yaml);
  return loadConfig({ file: join(dir, 'c.yaml'), env: {}, cwd: dir });
}

describe('server limits in the config (issue 12, finding 1)', () => {
  it('defaults: a budget per route class, timeouts in seconds, a connection cap', () => {
    const r = server('{}\n');
    expect(r.ok && r.value.config.server).toMatchObject({
      maxInFlight: { webhooks: 256, chat: 64, api: 32, sandbox: 32 },
      maxConnections: 1024,
      headersTimeout: 10,
      requestTimeout: 30,
      bodyTimeout: 10,
    });
  });

  it('takes a single maxInFlight number as the webhooks budget (the former setting)', () => {
    const r = server('server: { maxInFlight: 100 }\n');
    expect(r.ok && r.value.config.server.maxInFlight).toEqual({
      webhooks: 100,
      chat: 64,
      api: 32,
      sandbox: 32,
    });
  });

  it('refuses headersTimeout above requestTimeout, naming the field', () => {
    const r = server('server: { headersTimeout: 60s, requestTimeout: 30s }\n');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.path)).toEqual(['server.headersTimeout']);
  });
});
