import { Alert } from '../../../src/core/alert/alert';
import { ingestAlerts } from '../../../src/app/ingest-alerts';
import { ValidationError } from '../../../src/errors';
import type { AlertInbox } from '../../../src/ports/inbox';

const valid: Alert = {
  source: 'alertmanager',
  dedupKey: 'alertmanager:0123abcd',
  status: 'firing',
  event: null,
  severity: 'warning',
  host: 'srv001.muc-01.dms.example',
  service: 'node',
  branch: 'muc-01',
  summary: 'DiskAlmostFull on srv001',
  description: null,
  labels: { alertname: 'DiskAlmostFull' },
  annotations: {},
  links: { generator: 'http://prometheus.example:9090/graph' },
  startsAt: '2026-11-02T08:00:00.000Z',
  endsAt: null,
  receivedAt: '2026-11-02T08:00:01.000Z',
};

/** An inbox that records what reached it (the port; storage has its own contract tests). */
function recordingInbox() {
  const stored: Alert[][] = [];
  const inbox: AlertInbox = {
    accept: async (alerts) => {
      stored.push(alerts);
      return alerts.map((_, i) => i + 1);
    },
    lag: async () => ({ pending: 0, oldestReceivedAt: null }),
  };
  return { stored, store: { inbox } };
}

// Each breaks one rule of the canonical schema; ingest must refuse it with zod's issues, whichever
// validator decided first.
const broken: [string, Record<string, unknown>][] = [
  ['an empty summary', { summary: '' }],
  ['a summary over 1000 characters', { summary: 'x'.repeat(1001) }],
  // zod counts code points: 1001 of them are too many, though 600 (1200 UTF-16 units) are not (below).
  ['a summary of 1001 astral characters', { summary: '😀'.repeat(1001) }],
  ['an empty dedup key', { dedupKey: '' }],
  ['an unknown source', { source: 'nagios' }],
  ['an unknown status', { status: 'burning' }],
  ['an unknown event', { event: 'rebooted' }],
  ['an unknown severity', { severity: 'high' }],
  ['a host over 255 characters', { host: 'h'.repeat(256) }],
  ['a branch over 100 characters', { branch: 'b'.repeat(101) }],
  ['a description over 32000 characters', { description: 'd'.repeat(32001) }],
  ['a label value that is no string', { labels: { alertname: 1 } }],
  ['labels as an array', { labels: ['alertname'] }],
  ['an unknown link kind', { links: { runbook: 'http://x' } }],
  ['a link that is no string', { links: { generator: 5 } }],
  ['an unknown field', { colour: 'red' }],
  ['a missing field', { receivedAt: undefined }],
  ['a start time that is a number', { startsAt: 1 }],
  ['a null summary', { summary: null }],
];

describe('ingestAlerts: the canonical check of mapped alerts', () => {
  it('stores valid alerts', async () => {
    const { stored, store } = recordingInbox();
    const astral = { ...valid, dedupKey: 'alertmanager:2', summary: '😀'.repeat(600) };
    expect(Alert.safeParse(astral).success).toBe(true);
    expect(await ingestAlerts({ store }, [valid, astral])).toEqual([1, 2]);
    expect(stored).toEqual([[valid, astral]]);
  });

  it.each(broken)(
    'refuses %s with the issues zod names, storing nothing of the delivery',
    async (_, change) => {
      const { stored, store } = recordingInbox();
      const bad = { ...valid, ...change } as unknown as Alert;
      const expected = Alert.safeParse(bad);
      expect(expected.success).toBe(false);
      const err = await ingestAlerts({ store }, [valid, bad]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues).toEqual(
        expected.error!.issues.map((e) => ({ path: `alerts[1].${e.path.join('.')}`, message: e.message })),
      );
      expect(stored).toHaveLength(0);
    },
  );
});
