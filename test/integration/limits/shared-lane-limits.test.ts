import { systemClock } from '../../../integrations/clock/system-clock';
import { inProcessSharedLimits } from '../../../integrations/limits/in-process-shared-limits';
import { openPostgresSharedLimits } from '../../../integrations/limits/postgres-shared-limits';
import {
  createServiceNowEmulator,
  retryAfterViolations,
} from '../../../integrations/sandbox/servicenow/emulator';
import { createSlackEmulator } from '../../../integrations/sandbox/slack/emulator';
import { SlackApi } from '../../../integrations/slack/slack-api';
import { createSlackLaneDriver } from '../../../integrations/slack/slack-lane-driver';
import { createJiraLaneDriver } from '../../../integrations/jira/jira-lane-driver';
import { createServiceNowLaneDriver } from '../../../integrations/servicenow/servicenow-lane-driver';
import { createServiceNowTicketSystem } from '../../../integrations/servicenow/servicenow-ticket-system';
import { ServiceNowConfig } from '../../../src/config/servicenow';
import { sandboxServiceNowAuth } from '../../../integrations/sandbox/sandbox-auth';
import type { SharedLimits } from '../../../src/ports/shared-limits';
import { silentLogger } from '../../helpers/test-app';
import { freshLimitsSchema, postgresLimitsUrl } from '../../helpers/postgres-limits';
import { draft } from '../servicenow/harness';

const pgUrl = postgresLimitsUrl();
type Open = () => Promise<{ limits: [SharedLimits, SharedLimits]; drop(): Promise<void> }>;
const backends: [string, Open][] = [
  [
    'in-process (one instance, two drivers)',
    async () => {
      const l = inProcessSharedLimits(systemClock);
      return { limits: [l, l], drop: async () => {} };
    },
  ],
  ...(pgUrl
    ? ([
        [
          'PostgreSQL (two instances)',
          async () => {
            const schema = await freshLimitsSchema();
            const limits: [SharedLimits, SharedLimits] = [
              await openPostgresSharedLimits(schema.url),
              await openPostgresSharedLimits(schema.url),
            ];
            return { limits, drop: () => schema.drop() };
          },
        ],
      ] as [string, Open][])
    : []),
];

/**
 * Two bridges' lane drivers (each with the default limit of 4) in front of ONE remote system: the
 * limit and each Retry-After hold for both together, measured by the emulator's own call log.
 */
describe.each(backends)('lane limits shared across instances: %s', (_name, open) => {
  let limits: [SharedLimits, SharedLimits];
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ limits, drop } = await open());
  });
  afterEach(async () => {
    await limits[0].close();
    if (limits[1] !== limits[0]) await limits[1].close();
    await drop();
  });

  it('ServiceNow: never more than 4 requests in flight over both, and no request before a Retry-After', async () => {
    const emulator = createServiceNowEmulator({ faults: { latencyMs: 30 } });
    const server = await emulator.listen(0);
    try {
      const parsed = ServiceNowConfig.parse({ timeoutMs: 5000 });
      const config = { ...parsed, auth: sandboxServiceNowAuth(parsed.auth) };
      const instances = limits.map((l) => {
        const driver = createServiceNowLaneDriver({ clock: systemClock, concurrency: 4, limits: l });
        const adapter = createServiceNowTicketSystem({ config, baseUrl: server.url, transport: driver });
        return { driver, adapter };
      });
      emulator.faults.script.push({ kind: 'rateLimit', method: 'POST', retryAfterSeconds: 1 });
      const results = await Promise.allSettled(
        Array.from({ length: 16 }, (_, i) => {
          const { driver, adapter } = instances[i % 2]!;
          return driver.run(() =>
            adapter.create(draft({ incidentKey: `alertmanager:branch=b${i}`, incidentId: `inc_${i}` })),
          );
        }),
      );
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect(emulator.inFlightPeak()).toBeLessThanOrEqual(4);
      expect(emulator.state.callLog.filter((c) => c.status === 429)).toHaveLength(1);
      // Requests already on their way when the 429 left cannot know of it (the chaos suite's allowance);
      // every later one, from either instance, waited the full second.
      expect(retryAfterViolations(emulator.state.callLog, () => true, 100)).toEqual([]);
      const [limited] = emulator.state.callLog.filter((c) => c.status === 429);
      const resumed = emulator.state.callLog.filter((c) => c.at >= limited!.finishedAt! + 100);
      expect(resumed.length).toBeGreaterThan(0);
      expect(Math.min(...resumed.map((c) => c.at))).toBeGreaterThanOrEqual(limited!.finishedAt! + 1000);
      expect(emulator.state.incidents).toHaveLength(15);
    } finally {
      await server.close();
    }
  });

  it('Jira: one request rate over both instances, taken right before each request', async () => {
    const rate = { perSecond: 5, burst: 2 };
    const drivers = limits.map((l) =>
      createJiraLaneDriver({ clock: systemClock, concurrency: 8, limits: l, rate }),
    );
    const sent: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        drivers[i % 2]!.request(async () => {
          sent.push(performance.now());
        }),
      ),
    );
    sent.sort((a, b) => a - b);
    // Burst of 2, then one per 200 ms: the 6th no earlier than 4 × 200 ms after the first.
    expect(sent[5]! - sent[0]!).toBeGreaterThanOrEqual(750);
  });

  it('Slack: one channel’s rate over both instances', async () => {
    const emulator = createSlackEmulator({
      channels: [{ id: 'C0SHARED01', name: 'shared' }],
      // Slack's own per-channel limit off: what is measured is ours.
      rateLimits: { postMessagePerChannel: null },
    });
    const server = await emulator.listen(0);
    try {
      const perChannel = { perSecond: 2, burst: 2 };
      const instances = limits.map((l) => {
        const driver = createSlackLaneDriver({ clock: systemClock, perChannel, limits: l });
        const api = new SlackApi({
          token: 'xoxb-sandbox',
          apiUrl: `${server.url}/`,
          logger: silentLogger,
          clock: systemClock,
        });
        return { driver, api };
      });
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => {
          const { driver, api } = instances[i % 2]!;
          return driver.send('C0SHARED01', () => api.postMessage('C0SHARED01', { text: `m${i}` }));
        }),
      );
      const posts = emulator.calls.filter((c) => c.path === '/chat.postMessage').map((c) => c.at);
      expect(posts).toHaveLength(6);
      // Burst of 2, then 2 per second: the 6th post no earlier than 2 s after the first (each
      // instance's own bucket alone would have let all 6 out within 1 s).
      expect(posts[5]! - posts[0]!).toBeGreaterThanOrEqual(1900);
    } finally {
      await server.close();
    }
  });
});
