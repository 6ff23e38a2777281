import { stormAlerts as alerts } from '../../helpers/storm-alerts';
import type { Logger } from '../../../src/ports/logger';
import { basic, draft, startServiceNow } from './harness';

const INSUFFICIENT_RIGHTS = {
  error: {
    message: 'Insufficient rights to query records',
    detail: 'Field(s) present in the query do not have permission to be read',
  },
  status: 'failure',
};
const JIRA = { system: 'jira' as const, key: 'OPS-7', url: 'http://jira.example/browse/OPS-7' };

function memoryLogger() {
  const lines: { level: string; msg: string }[] = [];
  const at =
    (level: string) =>
    (msg: string): void => {
      lines.push({ level, msg });
    };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

describe('ServiceNow: an integration user without read on sys_journal_field', () => {
  let env: Awaited<ReturnType<typeof startServiceNow>>;
  let log: ReturnType<typeof memoryLogger>;
  beforeEach(async () => {
    log = memoryLogger();
    env = await startServiceNow({
      emulator: { rules: { unreadableTables: { 'itsm.bridge': ['sys_journal_field'] } } },
      logger: log.logger,
    });
  });
  afterEach(() => env.server.close());

  it('is refused by the emulator with 403 in ServiceNow’s envelope; without that rule the read passes', async () => {
    const url = `${env.server.url}/api/now/table/sys_journal_field?sysparm_limit=1`;
    const refused = await fetch(url, { headers: { authorization: basic() } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual(INSUFFICIENT_RIGHTS);
    env.emulator.rules.unreadableTables = {};
    expect((await fetch(url, { headers: { authorization: basic() } })).status).toBe(200);
  });

  it('links anyway: the duplicate check is skipped and said so once in the log, nothing parks', async () => {
    const ref = await env.adapter.create(draft());
    await env.adapter.linkTo(ref, JIRA);
    await env.adapter.linkTo(ref, { ...JIRA, key: 'OPS-8', url: 'http://jira.example/browse/OPS-8' });
    const notes = env.emulator.state.journal.filter((j) => j.element === 'work_notes').map((j) => j.value);
    expect(
      notes.filter((n) => n?.includes('Jira issue OPS-7: http://jira.example/browse/OPS-7')),
    ).toHaveLength(1);
    expect(notes.filter((n) => n?.includes('Jira issue OPS-8'))).toHaveLength(1);
    const warnings = log.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('sys_journal_field');
    // After the first refusal it does not ask again.
    const journalReads = env.emulator.state.callLog.filter((c) => c.path.endsWith('/sys_journal_field'));
    expect(journalReads.map((c) => c.status)).toEqual([403]);
  });
});

describe('ServiceNow: incident.description within its column length, reference line intact', () => {
  it('the emulator cuts a longer description silently, as ServiceNow does (length configurable)', async () => {
    const env = await startServiceNow({ emulator: { rules: { descriptionMaxLength: 1000 } } });
    try {
      const res = await fetch(`${env.server.url}/api/now/table/incident`, {
        method: 'POST',
        headers: { authorization: basic(), 'content-type': 'application/json' },
        body: JSON.stringify({ short_description: 's', description: 'd'.repeat(5000) }),
      });
      expect(res.status).toBe(201);
      expect(env.emulator.state.incidents[0]!.description).toHaveLength(1000);
    } finally {
      await env.server.close();
    }
  });

  it.each([
    ['50 alerts, default 4,000', 50, 50, undefined],
    ['500 alerts, default 4,000', 50, 500, undefined],
    ['500 alert lines, a 2,000-character column', 500, 500, 2000],
  ])(
    'fits %s: first alerts, "and K more" with the link, the reference line last',
    async (_n, lines, total, max) => {
      const env = await startServiceNow({
        emulator: max ? { rules: { descriptionMaxLength: max } } : {},
        config: max ? { descriptionMaxLength: max } : {},
      });
      try {
        const url = 'https://bridge.example.com/api/incidents/inc_01';
        await env.adapter.create(draft({ alerts: alerts(lines), alertTotal: total, incidentUrl: url }));
        const description = env.emulator.state.incidents[0]!.description!;
        expect(description.length).toBeLessThanOrEqual(max ?? 4000);
        expect(description.endsWith(`itsm-bridge incident inc_01 (key ${draft().incidentKey})`)).toBe(true);
        const shown = alerts(lines).filter((a) => description.includes(`${a.host} /`)).length;
        expect(shown).toBeGreaterThan(3);
        expect(description).toContain(`… and ${total - shown} more alerts (${total} in total): ${url}`);
      } finally {
        await env.server.close();
      }
    },
  );

  it('clips an oversized free text and still ends with the reference line', async () => {
    const env = await startServiceNow();
    try {
      await env.adapter.create(draft({ description: `Disk full\n\n${'x'.repeat(65_600)}` }));
      const description = env.emulator.state.incidents[0]!.description!;
      expect(description.length).toBeLessThanOrEqual(4000);
      expect(description.startsWith('Disk full')).toBe(true);
      expect(description.endsWith(`(key ${draft().incidentKey})`)).toBe(true);
    } finally {
      await env.server.close();
    }
  });
});
