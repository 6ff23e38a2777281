import { join } from 'node:path';
import { check } from 'recheck';
import { loadConfig } from '../../../src/config/load-config';
import { builtInRules } from '../../../src/core/redact/built-in-redactions';

/**
 * Issue 12: every redaction pattern we ship or configure must be free of catastrophic backtracking.
 * recheck's automaton checker decides this exactly but knows no look-behind/look-ahead, and a bounded
 * quantifier hides ambiguity from it (the old phone pattern, `(?:[ .\-/]?\d{1,5}){1,7}`, is "bounded" yet
 * cost 175 ms per KB). So each pattern is checked as a model with the same backtracking behaviour:
 * - a leading `(?<![…])` becomes the character it forbids, consumed: `(?:^|[^…])` (same start positions);
 * - a trailing `(?![…])` / `(?![…]|[…]\d)` becomes what may follow, consumed (same success points);
 * - `{m,n}` with n ≥ 5 becomes `{m,}`, so a bound cannot hide an ambiguous repetition.
 */
function backtrackingModel(source: string): string {
  return source
    .replace(/(?<!\\)\{(\d+),(\d+)\}/g, (whole, min: string, max: string) =>
      Number(max) >= 5 ? `{${min},}` : whole,
    )
    .replace(/^\(\?<!\[([^\]]*)\]\)/, '(?:^|[^$1])')
    .replace(/\(\?!\[([^\]]*)\]\|\[([^\]]*)\]\\d\)$/, '(?:$|[^$1$2]|[$2](?:$|\\D))')
    .replace(/\(\?!\[([^\]]*)\]\)$/, '(?:$|[^$1])');
}

const ROOT = join(__dirname, '..', '..', '..');

function configuredPatterns(): { name: string; source: string; flags: string }[] {
  const loaded = loadConfig({ file: join(ROOT, 'itsm-bridge.example.yaml'), env: {} });
  if (!loaded.ok) throw new Error('itsm-bridge.example.yaml does not load');
  return loaded.value.config.redaction.patterns.map((p) => ({
    name: `config ${p.name}`,
    source: p.pattern,
    flags: p.flags ?? '',
  }));
}

const ALL_ON = { email: true, phone: true, iban: true, vin: true, plate: true } as const;
const patterns = [
  ...builtInRules(ALL_ON).map((r, i) => ({
    name: `${r.name} #${i}`,
    source: r.regex.source,
    flags: r.regex.flags,
  })),
  ...configuredPatterns(),
];

// One check at a time: the machine is shared, and parallel checks only push each one into its timeout.
const RECHECK = { checker: 'automaton', timeout: 10_000 } as const;

describe('redaction patterns are safe from ReDoS (recheck)', () => {
  it('checks every built-in and every configured pattern', () => {
    expect(patterns.filter((p) => p.name.startsWith('config')).length).toBeGreaterThan(0);
    expect(patterns.length).toBeGreaterThanOrEqual(10);
  });

  it.each(patterns)(
    '$name is safe',
    async ({ source, flags }) => {
      const model = backtrackingModel(source);
      expect(model).not.toMatch(/\(\?<?[!=]/); // every look-around was modelled
      const result = await check(model, flags.replace('g', ''), RECHECK);
      expect({ model, status: result.status }).toEqual({ model, status: 'safe' });
    },
    30_000,
  );

  it('would catch the old phone pattern (the model keeps its ambiguity visible)', async () => {
    const old = String.raw`(?<![\w+])\+[1-9]\d{0,2}(?:[ .\-/]?\(0\))?(?:[ .\-/]?(?:\(\d{1,5}\)|\d{1,5})){1,7}(?![\w]|[.:/,\-]\d)`;
    const result = await check(backtrackingModel(old), '', RECHECK);
    expect(result.status).toBe('vulnerable');
  }, 30_000);
});
