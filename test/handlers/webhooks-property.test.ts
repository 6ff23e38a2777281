import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../helpers/test-app';

const FIXTURES = join(__dirname, '..', 'fixtures');
const SOURCES = ['alertmanager', 'grafana', 'icinga', 'checkmk', 'generic'] as const;
const fixtures = Object.fromEntries(
  SOURCES.map((s) => [
    s,
    readdirSync(join(FIXTURES, s))
      .filter((f) => f.endsWith('.json'))
      .map((f) => readFileSync(join(FIXTURES, s, f), 'utf8')),
  ]),
) as Record<(typeof SOURCES)[number], string[]>;

type Json = unknown;

/** All paths to values inside a JSON document. */
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [prefix];
  const entries: [string | number, Json][] = Array.isArray(v)
    ? v.map((x, i) => [i, x])
    : Object.entries(v as object);
  return [prefix, ...entries.flatMap(([k, x]) => paths(x, [...prefix, k]))];
}

/** Applies one mutation at a path: replace the value, delete it, or add a (possibly hostile) key. */
function mutate(doc: Json, path: (string | number)[], kind: number, value: Json, key: string): Json {
  const copy = JSON.parse(JSON.stringify(doc));
  if (path.length === 0) return kind === 0 ? value : copy;
  const parent = path.slice(0, -1).reduce((o: any, k) => o[k], copy);
  const last = path[path.length - 1]!;
  if (kind === 0) parent[last] = value;
  else if (kind === 1) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (parent && typeof parent === 'object' && !Array.isArray(parent)) {
    Object.defineProperty(parent, key, { value, enumerable: true, configurable: true, writable: true });
  }
  return copy;
}

describe('webhook handlers under random and mutated input (property-based)', () => {
  let app: TestApp;
  let db: BetterSqlite3.Database;
  const rows = () => (db.prepare('select count(*) n from alerts').get() as { n: number }).n;
  beforeAll(async () => {
    app = await startTestApp();
    db = new BetterSqlite3(app.dbPath, { readonly: true });
  });
  afterAll(async () => {
    db.close();
    await app.close();
  });

  /** The invariant: no 5xx, a JSON answer, and either a 202 that stored exactly what it says or nothing stored. */
  async function check(source: string, body: string) {
    const before = rows();
    const res = await app.post(source, body);
    expect(res.status).toBeLessThan(500);
    expect([202, 400, 413]).toContain(res.status);
    const after = rows();
    if (res.status === 202) expect(after - before).toBe(res.json.accepted);
    else {
      expect(after).toBe(before);
      expect(typeof res.json.error).toBe('string');
    }
  }

  it.each(SOURCES)(
    '%s: mutated real payloads never crash, never 5xx, never write partially',
    async (source) => {
      const hostileKeys = fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'status',
        'labels',
        'x'.repeat(300),
        '',
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...fixtures[source]),
          fc.nat(),
          fc.integer({ min: 0, max: 2 }),
          fc.jsonValue({ maxDepth: 3 }),
          hostileKeys,
          async (text, pick, kind, value, key) => {
            const doc = JSON.parse(text);
            const all = paths(doc);
            const path = all[pick % all.length]!;
            await check(source, JSON.stringify(mutate(doc, path, kind, value, key)));
          },
        ),
        { numRuns: 120 },
      );
    },
  );

  it.each(SOURCES)('%s: random JSON and truncated bodies are refused cleanly', async (source) => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.tuple(fc.constantFrom(...fixtures[source]), fc.nat()).map(([t, n]) => t.slice(0, n % t.length)),
          fc.string(),
        ),
        async (body) => {
          await check(source, body);
        },
      ),
      { numRuns: 80 },
    );
  });
});
