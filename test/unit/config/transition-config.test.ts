import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';

function load(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-cfg-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, yaml);
  return loadConfig({ file, env: {}, cwd: dir });
}

const PROVIDERS =
  'providers:\n  - { name: old, shadow: new, cutover: "2027-03-01T06:00:00+01:00" }\n  - { name: new }\n';

describe('transition mode config (shadow, cutover)', () => {
  it('accepts a shadow and a cut-over on a provider and on a routing rule', () => {
    const r = load(
      `${PROVIDERS}routing:\n  defaults: { provider: old }\n  rules:\n    - { name: r, match: [{ host: "x*" }], provider: old, shadow: new, cutover: "2027-02-01T00:00:00Z" }\n`,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.value.config.providers[0]).toMatchObject({
      shadow: 'new',
      cutover: '2027-03-01T06:00:00+01:00',
    });
    expect(r.value.config.routing.rules[0]).toMatchObject({ shadow: 'new', cutover: '2027-02-01T00:00:00Z' });
  });

  it.each([
    [
      'an unknown shadow provider',
      'providers:\n  - { name: old, shadow: nwe }\n  - { name: new }\n',
      'providers.0.shadow',
      'unknown provider "nwe"; known: old, new',
    ],
    [
      'an unknown shadow on a rule',
      `${PROVIDERS}routing:\n  defaults: { provider: old }\n  rules:\n    - { name: r, match: [{ host: "x*" }], shadow: nobody }\n`,
      'routing.rules.0.shadow',
      'unknown provider "nobody"; known: old, new',
    ],
    [
      'a cut-over without offset',
      'providers:\n  - { name: old, shadow: new, cutover: "2027-03-01" }\n  - { name: new }\n',
      'providers.0.cutover',
      null,
    ],
  ])('rejects %s, naming the path', (_name, yaml, path, text) => {
    const r = load(yaml);
    expect(r.ok).toBe(false);
    const problem = !r.ok ? r.problems.find((p) => p.path === path) : undefined;
    expect(problem).toBeDefined();
    if (text) expect([problem?.message, problem?.hint]).toContain(text);
  });
});
