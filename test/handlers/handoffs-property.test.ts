import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/test-app';

const YAML = `
providers:
  - { name: infra }
  - { name: app }
routing:
  defaults: { provider: infra, groupBy: [branch] }
`;

const valid = {
  to: 'app',
  note: { situation: 'spooler down', actionsTaken: 'restarted', nextSteps: 'check the interface' },
};

/** A valid body with one value replaced, one key removed or one hostile key added. */
const mutated = fc
  .tuple(
    fc.constantFrom<(string | number)[]>(['to'], ['note'], ['note', 'situation'], ['note', 'nextSteps'], []),
    fc.integer({ min: 0, max: 2 }),
    fc.jsonValue(),
    fc.constantFrom('__proto__', 'constructor', 'x', 'impact', 'hypothesis'),
  )
  .map(([path, kind, value, key]) => {
    const doc = JSON.parse(JSON.stringify(valid));
    if (path.length === 0) return kind === 0 ? JSON.stringify(value) : JSON.stringify(doc);
    const parent = path.slice(0, -1).reduce((o, k) => o[k], doc);
    const last = path[path.length - 1]!;
    if (kind === 0) parent[last] = value;
    else if (kind === 1) delete parent[last];
    else Object.defineProperty(parent, key, { value, enumerable: true, configurable: true, writable: true });
    return JSON.stringify(doc);
  });

describe('hand-off endpoints under random and mutated input (property-based)', () => {
  let app: TestApp;
  let db: BetterSqlite3.Database;
  let incidentId: number;
  const count = (table: string) => (db.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
  beforeAll(async () => {
    app = await startTestApp({ yaml: YAML });
    await app.post('generic', {
      dedupKey: 'k',
      status: 'firing',
      severity: 'major',
      summary: 's',
      branch: 'b1',
    });
    await app.settle();
    incidentId = (await app.api('/api/incidents')).incidents[0].id;
    db = new BetterSqlite3(app.dbPath, { readonly: true });
  });
  afterAll(async () => {
    db.close();
    await app.close();
  });

  /** No 5xx, always JSON; a refusal stores nothing; a 201 stores exactly one hand-off (then cancelled). */
  async function check(path: string, body: string) {
    const before = count('handoffs');
    const res = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBeLessThan(500);
    const json = (await res.json()) as { id?: number; error?: string };
    if (res.status === 201) {
      expect(count('handoffs')).toBe(before + 1);
      const cancel = await fetch(`${app.url}/api/handoffs/${json.id}/cancel`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_TOKEN}` },
      });
      expect(cancel.status).toBe(200);
    } else {
      expect(json.error).toEqual(expect.any(String));
      expect(count('handoffs')).toBe(before);
    }
  }

  it('offers: mutated bodies are answered 201 or 4xx and change nothing when refused', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, (body) => check(`/api/incidents/${incidentId}/handoffs`, body)),
      { numRuns: 150 },
    );
  });

  it('random bytes and odd ids never give a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300 }),
        fc.constantFrom('1', '0', '-1', 'abc', '99999999999999999999', '%E0%A4%A', '1e3'),
        fc.constantFrom('accept', 'reject', 'cancel'),
        async (body, id, verb) => {
          const before = count('handoffs');
          const res = await fetch(`${app.url}/api/handoffs/${id}/${verb}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
            body,
          });
          expect(res.status).toBeLessThan(500);
          expect(count('handoffs')).toBe(before);
        },
      ),
      { numRuns: 100 },
    );
  });
});
