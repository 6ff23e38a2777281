import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CorrelationLoop } from '../../src/app/correlation-loop';
import { CorrelationThread } from '../../src/composition/correlation-thread';
import { systemClock } from '../../integrations/clock/system-clock';
import { openSqliteStore } from '../../integrations/storage/sqlite/open-sqlite-store';
import { WriteTurn } from '../../integrations/storage/sqlite/write-turn';
import type { Logger } from '../../src/ports/logger';
import { type TestApp, loadTestConfig, startTestApp } from '../helpers/test-app';
import { alert } from '../integration/storage/contract/backends';

const fixture = (source: string, name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', source, name), 'utf8'));

const YAML = `
correlation: { groupWait: 0 }
slack: { enabled: false }
teams: { enabled: false }
routing:
  defaults: { provider: infra, groupBy: [branch] }
`;

const readyz = async (app: TestApp) =>
  ((await (await fetch(`${app.url}/readyz`)).json()) as { checks: { correlation: Record<string, unknown> } })
    .checks.correlation;

function recordingLogger(): Logger & { lines: { level: string; msg: string; fields?: unknown }[] } {
  const lines: { level: string; msg: string; fields?: unknown }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    lines.push({ level, msg, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('correlation in its own thread (SQLite file)', () => {
  let app: TestApp | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('correlates beside the event loop: one incident per group, its events counted by the metrics of the event loop', async () => {
    const logger = recordingLogger();
    app = await startTestApp({ yaml: YAML, logger });
    expect((await readyz(app)).runsOn).toBe('thread');
    const firing = fixture('alertmanager', 'firing.json');
    const first = await app.post('alertmanager', firing);
    expect(first.status).toBe(202);
    // The HA twin of the same notification, at once: the same incident.
    expect((await app.post('alertmanager', firing)).status).toBe(202);
    await app.settle();
    const { incidents } = await app.api('/api/incidents');
    expect(incidents).toHaveLength(1);
    const detail = await app.api(`/api/incidents/${incidents[0].id}`);
    expect(detail.alerts.length).toBeGreaterThan(0);
    // Committed on the thread's connection, counted by the event loop's metrics.
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/^itsm_incidents_opened_total\{provider="infra",priority="\d"\} 1$/m);
    expect(await readyz(app)).toMatchObject({ pending: 0, runsOn: 'thread' });
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('runs on the event loop when the config says so', async () => {
    app = await startTestApp({ yaml: `${YAML}server: { correlationThread: false }\n` });
    expect((await readyz(app)).runsOn).toBe('event-loop');
    expect((await app.post('alertmanager', fixture('alertmanager', 'firing.json'))).status).toBe(202);
    await app.settle();
    expect((await app.api('/api/incidents')).incidents).toHaveLength(1);
  });

  it('a thread that cannot start hands correlation to the event loop, and nothing accepted is lost', async () => {
    const { dir, config } = loadTestConfig(YAML, 'itsm-thread-');
    const turn = WriteTurn.create();
    const store = await openSqliteStore(`sqlite:${join(dir, 'real.sqlite')}`, {
      turn: { turn, who: 'event-loop' },
    });
    const logger = recordingLogger();
    const settings = {
      routing: config.routing,
      correlation: config.correlation,
      maintenance: config.maintenance,
      ticketing: { lanes: [], groupWait: 0, noteInterval: 0 },
    };
    try {
      await store.inbox.accept(['a', 'b', 'c'].map(alert));
      const thread = new CorrelationThread({
        // The thread's connection must find the event loop's file: this one does not exist.
        data: {
          databaseUrl: `sqlite:${join(dir, 'missing', 'x.sqlite')}`,
          sqlite: {},
          settings,
          pollMs: 50,
          batchSize: 25,
          maxShare: 0.3,
        },
        turn,
        logger,
        clock: systemClock,
        announce: (events) => store.announceCommitted(events),
        afterBatch: () => {},
        fallback: () =>
          new CorrelationLoop(
            { ...settings, store, clock: systemClock, logger },
            { pollMs: 50, batchSize: 25 },
          ),
      });
      thread.start();
      for (let i = 0; i < 200 && thread.runsOn() === 'thread'; i++)
        await new Promise((r) => setTimeout(r, 25));
      expect(thread.runsOn()).toBe('event-loop');
      thread.wake();
      await thread.idle();
      expect((await store.inbox.lag()).pending).toBe(0);
      expect(logger.lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining([
          'correlation thread could not start',
          'correlation thread exited; correlating on the event loop',
        ]),
      );
      await thread.stop();
    } finally {
      await store.close();
    }
  });
});
