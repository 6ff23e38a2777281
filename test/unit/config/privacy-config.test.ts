import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';

const EXAMPLE = join(__dirname, '..', '..', '..', 'itsm-bridge.example.yaml');

function withYaml(yaml: string, env: NodeJS.ProcessEnv = {}) {
  const file = join(mkdtempSync(join(tmpdir(), 'itsm-privacy-cfg-')), 'c.yaml');
  writeFileSync(file, yaml);
  return loadConfig({ file, env });
}

describe('retention and audit configuration', () => {
  it('defaults every retention period and the anchor interval when the sections are absent', () => {
    const r = withYaml('{}\n');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.value.config.retention).toEqual({
      enabled: true,
      at: '03:30',
      alertPayloads: 90 * 86400,
      chatTexts: 180 * 86400,
      personalNames: 365 * 86400,
    });
    expect(r.value.config.audit).toEqual({ anchor: { interval: 3600 } });
    expect(r.value.env.AUDIT_SIGNING_KEY).toBeUndefined();
  });

  it('reads the shipped example, and the signing key from the environment as a secret', () => {
    const r = loadConfig({ file: EXAMPLE, env: { AUDIT_SIGNING_KEY: 'a'.repeat(64) } });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.value.config.audit.anchor.file).toBe('./data/audit-anchors.jsonl');
    expect(JSON.stringify(r.value.env)).not.toContain('a'.repeat(64));
    expect(r.value.env.AUDIT_SIGNING_KEY?.reveal()).toBe('a'.repeat(64));
  });

  it.each([
    ['retention:\n  chatTexts: 12h\n', 'retention.chatTexts', 'at least 1d'],
    ['retention:\n  at: "3:30"\n', 'retention.at', 'HH:MM'],
    ['retention:\n  names: 30d\n', 'retention.names', 'unknown key'],
    ['audit:\n  anchor:\n    interval: 10s\n', 'audit.anchor.interval', 'at least 60s'],
  ])('rejects %j naming %s', (yaml, path, message) => {
    const r = withYaml(yaml);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toContainEqual(
      expect.objectContaining({ path, message: expect.stringContaining(message) }),
    );
  });

  it('rejects a short signing key without printing it', () => {
    const r = withYaml('{}\n', { AUDIT_SIGNING_KEY: 'short-key' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      expect.objectContaining({
        path: 'env.AUDIT_SIGNING_KEY',
        message: expect.stringContaining('at least 32'),
      }),
    ]);
    expect(JSON.stringify(r.problems)).not.toContain('short-key');
  });
});
