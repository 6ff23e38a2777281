import Database from 'better-sqlite3';
import { type TestApp, startTestApp } from '../helpers/test-app';

/** The shape: big `commonLabels`, many small alerts; the mapper merges the former into each. */
function delivery(opts: { commonBytes: number; alerts: number }) {
  const value = 'x'.repeat(1000);
  const commonLabels: Record<string, string> = {};
  for (let i = 0; i * 1000 < opts.commonBytes; i += 1) commonLabels[`common_${i}`] = value;
  return {
    version: '4',
    groupKey: '{}:{alertname="Storm"}',
    status: 'firing',
    receiver: 'itsm-bridge',
    groupLabels: { alertname: 'Storm' },
    commonLabels: { alertname: 'Storm', ...commonLabels },
    commonAnnotations: { summary: 'many alerts, one group' },
    externalURL: 'http://alertmanager.example:9093',
    alerts: Array.from({ length: opts.alerts }, (_, i) => ({
      status: 'firing',
      labels: { alertname: 'Storm', instance: `host-${i}` },
      annotations: {},
      startsAt: '2026-11-02T07:59:00Z',
      fingerprint: `fp${i}`,
    })),
  };
}

/** Bytes the database holds now (WAL included), read through a second connection. */
function databaseBytes(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * (db.pragma('page_size', { simple: true }) as number);
  } finally {
    db.close();
  }
}

describe('label budgets per alert and per delivery (issue 12, finding 4)', () => {
  let app: TestApp;
  afterEach(() => app.close());

  it('refuses a delivery whose shared labels make one alert too large: 400 naming the field and the limit', async () => {
    app = await startTestApp({ yaml: 'sources: { labelLimits: { perAlert: 4096 } }\n' });
    const res = await app.post('alertmanager', delivery({ commonBytes: 5000, alerts: 3 }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'labels_too_large', field: 'alerts[0].labels', limit: 4096 });
    expect((await app.store.inbox.lag()).pending).toBe(0);
  });

  it('refuses a delivery whose labels add up over the per-delivery budget, naming the alert where it broke', async () => {
    app = await startTestApp({ yaml: 'sources: { labelLimits: { perDelivery: 100000 } }\n' });
    const res = await app.post('alertmanager', delivery({ commonBytes: 9000, alerts: 20 }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'labels_too_large', field: 'alerts[10].labels', limit: 100000 });
    expect((await app.store.inbox.lag()).pending).toBe(0);
  });

  it('accepts what fits with the defaults', async () => {
    app = await startTestApp();
    const res = await app.post('alertmanager', delivery({ commonBytes: 2000, alerts: 50 }));
    expect(res.status).toBe(202);
    expect(res.json.accepted).toBe(50);
  });

  it("stores a delivery's shared labels once: the database grows linearly in the request, not in alerts × labels", async () => {
    app = await startTestApp({
      yaml: 'sources: { labelLimits: { perAlert: 65536, perDelivery: 67108864 } }\nslack: { enabled: false }\nteams: { enabled: false }\n',
    });
    const body = JSON.stringify(delivery({ commonBytes: 40_000, alerts: 400 }));
    const before = databaseBytes(app.dbPath);
    const res = await app.post('alertmanager', body);
    expect(res.status).toBe(202);
    const grown = databaseBytes(app.dbPath) - before;
    // Copied into each alert this was 400 × 40 KB = 16 MB; stored once it is a few pages per alert.
    expect(grown).toBeLessThan(10 * Buffer.byteLength(body));
    // Read back as the ticket and chat paths do: each alert has its shared labels again.
    await app.settle();
    const [incident] = (await app.api('/api/incidents')).incidents;
    const stored = await app.store.incidents.alerts(incident.id, 1000);
    expect(stored).toHaveLength(400);
    for (const alert of [stored[0], stored[399]]) {
      expect(alert?.labels).toMatchObject({ alertname: 'Storm', common_39: 'x'.repeat(1000) });
      expect(alert?.labels.instance).toMatch(/^host-\d+$/);
      expect(alert?.annotations).toEqual({ summary: 'many alerts, one group' });
    }
  });
});
