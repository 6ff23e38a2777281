import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReportsHandler, type ReportsHandlerDeps } from '../../../handlers/http/reports';
import { buildSlaReport } from '../../../src/app/build-sla-report';
import { Secret } from '../../../src/config/secret';
import { SlaConfig } from '../../../src/config/sla';
import type { SlaReport } from '../../../src/core/sla/report-model';
import { fixedClock } from './dataset';

const TOKEN = 'queue-test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
/** An empty source: the report is quick, and a month after the fixed clock's 27 November is in progress. */
const empty = (month: string): Promise<SlaReport> =>
  buildSlaReport({
    month,
    config: SlaConfig.parse({}),
    source: { name: 'store', tickets: async function* () {} },
    clock: fixedClock,
  });

async function serve(
  deps: Partial<ReportsHandlerDeps>,
): Promise<{ base: string; close: () => Promise<void> }> {
  const handler = createReportsHandler({
    clock: fixedClock,
    apiToken: new Secret(TOKEN),
    buildReport: empty,
    explain: async () => null,
    ...deps,
  });
  const server = http.createServer((req, res) => {
    void handler(req, res, new URL(req.url ?? '/', 'http://localhost')).then((done) => {
      if (!done) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('PDF render queue', () => {
  it('renders one PDF at a time, lets one wait and answers 503 with Retry-After beyond', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const { base, close } = await serve({
      pdfConcurrency: 1,
      pdfQueue: 1,
      buildReport: async (month) => {
        started++;
        await gate;
        return empty(month);
      },
    });
    try {
      const pdf = (m: string) => fetch(`${base}/reports/sla?month=${m}&format=pdf`, { headers: AUTH });
      const first = pdf('2016-01');
      const second = pdf('2016-02');
      await new Promise((r) => setTimeout(r, 100));
      const third = await pdf('2016-03');
      expect(third.status).toBe(503);
      expect(third.headers.get('retry-after')).toBe('5');
      expect(await third.json()).toMatchObject({ error: 'busy' });
      expect(started).toBe(1);
      release();
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
      expect(started).toBe(2);
    } finally {
      await close();
    }
  });
});

describe('report cache', () => {
  it("keeps a past month's rendered report per month, source and format, never the month in progress", async () => {
    const asked: string[] = [];
    const { base, close } = await serve({
      buildReport: (month) => {
        asked.push(month);
        return empty(month);
      },
    });
    try {
      const get = (q: string) => fetch(`${base}/reports/sla?${q}`, { headers: AUTH }).then((r) => r.text());
      const a = await get('month=2026-10&format=csv');
      expect(await get('month=2026-10&format=csv')).toBe(a);
      await get('month=2026-10&format=json');
      await get('month=2026-11&format=csv');
      await get('month=2026-11&format=csv');
      expect(asked).toEqual(['2026-10', '2026-10', '2026-11', '2026-11']);
    } finally {
      await close();
    }
  });
});
