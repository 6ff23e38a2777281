import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** Everything that ships or starts the bridge: product code, adapters, scripts, benches, CI, docs with examples. */
const SCANNED = ['src', 'handlers', 'integrations', 'bench', '.ci', 'docs', 'README.md', '.env.example'];
const SKIP = new Set(['node_modules', 'generated', 'dist']);

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => (SKIP.has(name) ? [] : files(join(path, name))));
}

/**
 * Ways to switch off certificate checks: Node's `rejectUnauthorized: false` (https/tls/undici agents),
 * the process-wide NODE_TLS_REJECT_UNAUTHORIZED, an always-true `checkServerIdentity`, Python's
 * unverified SSL contexts (the Icinga 2 and Checkmk scripts) and curl's `-k`/`--insecure` in scripts
 * and copy-pasteable docs.
 */
const TLS_OFF: [RegExp, string][] = [
  [/rejectUnauthorized\s*[:=]\s*(false|0)/, 'rejectUnauthorized: false'],
  [/NODE_TLS_REJECT_UNAUTHORIZED/, 'NODE_TLS_REJECT_UNAUTHORIZED'],
  [/checkServerIdentity\s*[:=]\s*\(\)\s*=>/, 'checkServerIdentity that accepts anything'],
  [
    /_create_unverified_context|CERT_NONE|check_hostname\s*=\s*False|verify\s*=\s*False/,
    'unverified SSL (Python)',
  ],
  [/\bcurl\b[^\n]*\s(-[A-Za-z]*k[A-Za-z]*|--insecure)\b/, 'curl -k / --insecure'],
];

function violations(text: string): string[] {
  return TLS_OFF.filter(([re]) => re.test(text)).map(([, what]) => what);
}

describe('TLS verification is never turned off', () => {
  it('finds no switch that disables certificate checks in code, scripts, CI or docs', () => {
    const found: string[] = [];
    for (const entry of SCANNED)
      for (const file of files(join(ROOT, entry)))
        for (const what of violations(readFileSync(file, 'utf8')))
          found.push(`${relative(ROOT, file)}: ${what}`);
    expect(found).toEqual([]);
  });

  it.each([
    'https.request(url, { rejectUnauthorized: false })',
    'new Agent({ connect: { rejectUnauthorized: false } })',
    'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"',
    'tls.connect({ checkServerIdentity: () => undefined })',
    'ctx = ssl._create_unverified_context()',
    'curl -sk https://bridge/healthz',
    'curl --insecure https://bridge/healthz',
  ])('would catch %s', (sample) => {
    expect(violations(sample).length).toBeGreaterThan(0);
  });
});
