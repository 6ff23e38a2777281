import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { AlertmanagerPayload, alertmanagerAlerts } from '../../handlers/webhooks/alertmanager';
import { payloadGate } from '../../handlers/webhooks/payload-gate';
import { SOURCE_MAPPERS } from '../../handlers/webhooks/sources';

const DIR = join(__dirname, '..', 'fixtures', 'alertmanager');
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Record<string, unknown>);
const gate = SOURCE_MAPPERS.alertmanager.gate!;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const map = (p: unknown) =>
  alertmanagerAlerts(p as AlertmanagerPayload, {
    receivedAt: '2026-11-02T08:00:00.000Z',
    keyMode: 'fingerprint',
  });

/** Every place in a payload where a value can be replaced or a key added: [path to parent, key]. */
function slots(v: unknown, at: (string | number)[] = []): [(string | number)[], string | number][] {
  if (v === null || typeof v !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return keys.flatMap((k) => [
    [at, k] as [(string | number)[], string | number],
    ...slots((v as Record<string | number, unknown>)[k], [...at, k]),
  ]);
}

// Values on and around each limit of the schema, and of every JSON type.
const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
const edgy = fc.constantFrom<unknown>(
  undefined,
  null,
  '',
  'x',
  '4',
  4,
  -1,
  0.5,
  true,
  [],
  {},
  'firing',
  'resolved',
  'x'.repeat(129),
  'x'.repeat(257),
  'x'.repeat(4097),
  'x'.repeat(8193),
  '😀'.repeat(4096),
  '😀'.repeat(4097),
  many(200),
  many(201),
  { ['k'.repeat(257)]: 'v' },
  { a: 1 },
  ['a'],
);

describe('the precompiled Alertmanager payload gate', () => {
  it('accepts every fixture, and what it yields maps to the same alerts as zod’s output does', () => {
    for (const f of fixtures) {
      const value = clone(f);
      expect(gate(value)).toBe(true);
      expect(map(value)).toEqual(map(AlertmanagerPayload.parse(clone(f))));
    }
  });

  it('accepts exactly what zod accepts, and maps it the same (mutated fixtures)', () => {
    const outcomes = new Set<boolean>();
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        fc.nat(),
        edgy,
        fc.boolean(),
        (fixture, pick, value, addKey) => {
          const doc = clone(fixture);
          const all = slots(doc);
          const [at, key] = all[pick % all.length]!;
          const parent = at.reduce<Record<string | number, unknown>>(
            (o, k) => o[k] as Record<string | number, unknown>,
            doc,
          );
          if (addKey && !Array.isArray(parent)) parent[`extra${pick % 3}`] = value;
          else if (value === undefined && Array.isArray(parent)) parent.splice(Number(key), 1);
          else if (value === undefined) delete parent[key];
          else parent[key] = value;
          const viaZod = AlertmanagerPayload.safeParse(clone(doc));
          const gated = clone(doc);
          // Safety needs only "gate ⇒ zod"; the two agreeing both ways also means zod is never run for nothing.
          expect(gate(gated)).toBe(viaZod.success);
          if (viaZod.success) expect(map(gated)).toEqual(map(viaZod.data));
          outcomes.add(viaZod.success);
        },
      ),
      { numRuns: 2000 },
    );
    expect([...outcomes].sort()).toEqual([false, true]);
  });

  it('refuses more than 200 labels, the one refinement it translates', () => {
    const doc = clone(fixtures[0]!) as { alerts: { labels: Record<string, string> }[] };
    doc.alerts[0]!.labels = many(201);
    expect(gate(clone(doc))).toBe(false);
    expect(AlertmanagerPayload.safeParse(doc).error?.issues[0]?.message).toBe('at most 200 entries');
  });

  it('will not compile a schema with a refinement JSON Schema cannot say', () => {
    expect(() => payloadGate(z.object({ n: z.number().refine((n) => n % 2 === 0) }))).toThrow(/refinement/);
  });
});
