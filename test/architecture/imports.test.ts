import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'generated' ? [] : files(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every relative import of a file, as a path from the repository root, plus bare module names. */
function importsOf(file: string): { local: string[]; modules: string[] } {
  // Type-only imports carry no runtime dependency (a use-case may name a config type it is handed).
  const text = readFileSync(file, 'utf8').replace(/^\s*import type [^;]+;/gm, '');
  const specs = [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)|import\(['"]([^'"]+)['"]\)/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3]!);
  return {
    local: specs.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(dirname(file), s))),
    modules: specs.filter((s) => !s.startsWith('.')),
  };
}

/** Rules from DESIGN.md §2: [files matching, may not import local paths starting with, reason]. */
const RULES: [RegExp, RegExp, string][] = [
  [/^src\/core\//, /^(src\/(?!core\/)|handlers\/|integrations\/)/, 'the pure core imports only src/core'],
  [
    /^src\/(?!main\.ts$|cli\.ts$|cli\/|composition\/)/,
    /^(handlers|integrations)\//,
    'src imports no adapters (only main.ts, src/composition and the CLI wire them)',
  ],
  [/^src\/app\//, /^src\/(config|cli)/, 'use-cases get config slices injected'],
  [/^handlers\//, /^integrations\//, 'handlers call use-cases, never outbound adapters'],
  [/^integrations\//, /^handlers\//, 'outbound adapters never import inbound handlers'],
  [
    /^(?!src\/main\.ts$|src\/cli\.ts$|src\/cli\/|src\/composition\/|integrations\/sandbox\/)/,
    /^integrations\/sandbox(\/|$)/,
    'only the composition root imports the sandbox (product code and adapters never do)',
  ],
  [
    /^integrations\/sandbox\//,
    /^src\/(?!ports\/|config\/|core\/|errors$)/,
    'the sandbox builds on product ports, errors and config, never on use-cases or the composition root',
  ],
];

/** A read of the wall clock: `Date.now` (called or passed on) or `new Date()` without an argument. */
const WALL_CLOCK = /\bDate\.now\b|\bnew Date\(\s*\)/;
/** DESIGN.md §2 "One clock": only the clock adapter and the CLI read the wall clock. */
const WALL_CLOCK_READERS = /^(integrations\/clock\/system-clock\.ts|src\/cli\.ts|src\/cli\/.+)$/;
/** Source text without comments, so that a comment may name what the code must not do. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
const wallClockReads = (file: string, text: string) =>
  !WALL_CLOCK_READERS.test(file) && WALL_CLOCK.test(code(text));

const NODE_IO =
  /^(node:)?(fs|fs\/promises|http|https|net|child_process|dgram|dns|os|worker_threads|cluster)$/;

describe('architecture (DESIGN.md §2 dependency rule)', () => {
  const all = ['src', 'handlers', 'integrations'].flatMap((d) => files(join(ROOT, d)));

  it('finds the source files it checks', () => {
    expect(all.length).toBeGreaterThan(30);
  });

  it.each(RULES.map(([from, to, why]) => [why, from, to] as const))('%s', (_why, from, to) => {
    const violations = all
      .map((f) => relative(ROOT, f))
      .filter((f) => from.test(f))
      .flatMap((f) =>
        importsOf(join(ROOT, f))
          .local.filter((i) => to.test(i))
          .map((i) => `${f} -> ${i}`),
      );
    expect(violations).toEqual([]);
  });

  it('keeps the core free of I/O modules, the environment and the wall clock', () => {
    const core = all.filter((f) => relative(ROOT, f).startsWith('src/core/'));
    const bad = core.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const issues = importsOf(f)
        .modules.filter((m) => NODE_IO.test(m))
        .map((m) => `imports ${m}`);
      if (/process\.env/.test(text)) issues.push('reads process.env');
      if (/Date\.now\(\)|new Date\(\)/.test(text)) issues.push('reads the wall clock');
      return issues.map((i) => `${relative(ROOT, f)} ${i}`);
    });
    expect(bad).toEqual([]);
  });

  it('reads process.env only in src/config (and the composition/CLI layer never directly)', () => {
    const bad = all
      .map((f) => relative(ROOT, f))
      .filter(
        (f) => !f.startsWith('src/config/') && /process\.env\b/.test(readFileSync(join(ROOT, f), 'utf8')),
      );
    expect(bad).toEqual([]);
  });

  it('reads the wall clock only in the clock adapter and the CLI (time comes from the Clock)', () => {
    const bad = all
      .map((f) => relative(ROOT, f))
      .filter((f) => wallClockReads(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(bad).toEqual([]);
  });

  it('detects a wall-clock read outside the clock adapter (the rule itself can fail)', () => {
    expect(wallClockReads('src/app/outbox-worker.ts', 'const until = Date.now() + maxMs;')).toBe(true);
    expect(wallClockReads('integrations/x/client.ts', 'const now = o.now ?? Date.now;')).toBe(true);
    expect(wallClockReads('integrations/logging/json-logger.ts', 'time: new Date().toISOString()')).toBe(
      true,
    );
    // …and leaves alone what is allowed: the adapter, the CLI, dates from values, comments.
    expect(wallClockReads('integrations/clock/system-clock.ts', 'now: () => new Date()')).toBe(false);
    expect(wallClockReads('src/cli/replay.ts', 'const now = new Date().toISOString();')).toBe(false);
    expect(wallClockReads('src/app/x.ts', 'new Date(nowMs + delay * 1000)')).toBe(false);
    expect(wallClockReads('src/app/x.ts', '// never Date.now() here\n/* nor new Date() */')).toBe(false);
  });

  it('detects a forbidden import (the rule itself can fail)', () => {
    const fake = 'src/core/alert/x.ts';
    const imports = [
      relative(ROOT, resolve(join(ROOT, 'src/core/alert'), '../../../integrations/storage/kysely-store')),
    ];
    const [, to] = RULES[0]!;
    expect(RULES[0]![0].test(fake) && imports.some((i) => to.test(i))).toBe(true);
  });

  it('detects a product adapter importing the sandbox, and lets the composition do it', () => {
    const rule = RULES.find(([, , why]) => why.startsWith('only the composition root imports the sandbox'))!;
    const [from, to] = rule;
    const emulator = (dir: string) =>
      relative(ROOT, resolve(join(ROOT, dir), '../sandbox/servicenow/emulator'));
    expect(
      from.test('integrations/servicenow/client.ts') && to.test(emulator('integrations/servicenow')),
    ).toBe(true);
    expect(from.test('handlers/http/server.ts')).toBe(true);
    expect(from.test('src/app/outbox-worker.ts')).toBe(true);
    expect(from.test('src/composition/wire-ticketing.ts')).toBe(false);
    expect(from.test('src/main.ts')).toBe(false);
    expect(from.test('integrations/sandbox/create-sandbox.ts')).toBe(false);
  });

  it('detects the sandbox reaching into use-cases or the composition root', () => {
    const [from, to] = RULES.find(([, , why]) => why.startsWith('the sandbox builds on'))!;
    expect(from.test('integrations/sandbox/create-sandbox.ts')).toBe(true);
    expect(to.test('src/composition/wire-ticketing')).toBe(true);
    expect(to.test('src/app/outbox-worker')).toBe(true);
    expect(['src/ports/chat', 'src/errors', 'src/config/secret'].some((i) => to.test(i))).toBe(false);
  });
});
