import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadConfig } from '../../../src/config/load-config';

function load(yaml: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-cfg-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, yaml);
  return loadConfig({ file, env, cwd: dir });
}

describe('loadConfig', () => {
  it('accepts the shipped example and models the landscape (two providers, routing to runbooks)', () => {
    const r = loadConfig({ file: join(__dirname, '..', '..', '..', 'itsm-bridge.example.yaml'), env: {} });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.config.providers.map((p) => p.name)).toEqual(['infra', 'app']);
    expect(r.value.config.routing.rules.map((x) => x.runbook).filter(Boolean)).toEqual(
      expect.arrayContaining([
        'dms-branch-down',
        'print-queue-stuck',
        'archive-backlog',
        'interface-transfer-failed',
        'disk-full',
        'windows-service-stopped',
        'certificate-expiring',
        'db-replication-lag',
      ]),
    );
    expect(r.value.config.correlation.resolveGrace).toBe(300);
  });

  it('gives working defaults for an empty file', () => {
    const r = load('{}');
    expect(r.ok && r.value.config.correlation).toMatchObject({ resolveGrace: 300, reopenWindow: 7200 });
    expect(r.ok && r.value.env.DATABASE_URL).toBe('sqlite:./data/itsm-bridge.sqlite');
  });

  it('turns the sync on by itself only while both ticket systems are sandboxes', () => {
    const enabled = (yaml: string) => {
      const r = load(yaml);
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      return r.value.config.sync.enabled;
    };
    expect(enabled('{}')).toBe(true);
    expect(enabled('servicenow: { instanceUrl: "https://acme.service-now.com" }')).toBe(false);
    expect(enabled('jira: { baseUrl: "https://acme.atlassian.net" }')).toBe(false);
    expect(enabled('sync: { enabled: false }')).toBe(false);
    expect(
      enabled('servicenow: { instanceUrl: "https://acme.service-now.com" }\nsync: { enabled: true }'),
    ).toBe(true);
    // The shipped example (what `npm start` loads without a file of its own) leaves it unset.
    const example = loadConfig({
      file: join(__dirname, '..', '..', '..', 'itsm-bridge.example.yaml'),
      env: {},
    });
    expect(example.ok && example.value.config.sync.enabled).toBe(true);
  });

  it('reports every problem at once, with its path and a did-you-mean hint for typos', () => {
    const r = load(`
correlation:
  resolveGrase: 5m
  reopenWindow: soon
routing:
  rules:
    - name: x
      match: [{ labels: { a: b } }]
      provider: nobody
      impact: 7
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.problems.map((p) => [p.path, p]));
    expect(byPath['correlation.resolveGrase']).toMatchObject({
      message: 'unknown key',
      hint: 'did you mean "resolveGrace"?',
    });
    expect(byPath['correlation.reopenWindow']?.message).toContain('not a duration');
    expect(byPath['routing.rules.0.impact']).toBeDefined();
    expect(r.problems.length).toBeGreaterThanOrEqual(3);
  });

  it('interpolates ${VAR} secrets from the environment and never prints them', () => {
    const r = load('sources:\n  grafana:\n    hmac:\n      secret: ${GRAFANA_HMAC_SECRET}\n', {
      GRAFANA_HMAC_SECRET: 'super-secret-value',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const secret = r.value.config.sources.grafana.hmac!.secret;
    expect(secret.reveal()).toBe('super-secret-value');
    const printed = `${JSON.stringify(r.value)} ${inspect(r.value, { depth: 10 })} ${String(secret)}`;
    expect(printed).not.toContain('super-secret-value');
  });

  it('names an unset variable instead of using an empty secret', () => {
    const r = load('sources:\n  grafana:\n    hmac:\n      secret: ${GRAFANA_HMAC_SECRET}\n');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]).toMatchObject({
      path: 'sources.grafana.hmac.secret',
      message: 'environment variable GRAFANA_HMAC_SECRET is not set',
    });
  });

  it('reports bad environment values with their variable name', () => {
    const r = load('{}', { PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    expect(r.ok).toBe(false);
    const paths = !r.ok ? r.problems.map((p) => p.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['env.PORT', 'env.DATABASE_URL']));
  });

  it('reports YAML syntax errors and duplicate keys', () => {
    const r = load('server:\n  bodyLimit: 1\n  bodyLimit: 2\n');
    expect(r.ok).toBe(false);
  });
});
