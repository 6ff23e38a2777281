import { stormAlerts as alerts } from '../../helpers/storm-alerts';
import { Secret } from '../../../src/config/secret';
import { draft, startJira } from './harness';

const LIMIT = 32_767;
const INCIDENT_URL = 'https://bridge.example.com/api/incidents/inc_01';

const size = (v: unknown) => (typeof v === 'string' ? v.length : JSON.stringify(v).length);
/** The description as a reader sees it: wiki markup without its escapes, ADF as its JSON. */
const visible = (v: unknown) =>
  typeof v === 'string'
    ? v.replace(/\\(.)/g, '$1').replace(/&#92;/g, '\\').replace(/&#46;/g, '.')
    : JSON.stringify(v);

// ADF spends about 800 characters per alert row, wiki markup about 200: 50 alerts fit only as wiki.
describe.each([
  ['Cloud (ADF)', {}, 50],
  [
    'Data Center (wiki markup)',
    { flavour: 'datacenter', auth: { type: 'pat', token: new Secret('sandbox-pat') } },
    500,
  ],
])('Jira adapter, %s: large incidents stay under the 32,767-character limit', (_name, config, tooMany) => {
  let env: Awaited<ReturnType<typeof startJira>>;
  beforeEach(async () => {
    env = await startJira({ config });
  });
  afterEach(() => env.server.close());

  it.each([
    // The bridge hands over at most 50 alert lines and says how many the incident has.
    ['50 alerts', alerts(50), 50],
    ['500 alerts (50 lines given)', alerts(50), 500],
    ['500 alert lines given', alerts(500), 500],
  ])(
    'creates the issue for %s: the first alerts, "and K more", the link to the bridge',
    async (_c, lines, total) => {
      await env.adapter.create(draft({ alerts: lines, alertTotal: total, incidentUrl: INCIDENT_URL }));
      const [issue] = env.emulator.state.issues;
      expect(issue).toBeDefined();
      expect(size(issue!.description)).toBeLessThanOrEqual(LIMIT);
      const text = visible(issue!.description);
      expect(text).toContain('branch-muc-000.corp.example.com');
      const shown = lines.filter((a) => text.includes(`${a.host}`)).length;
      expect(shown).toBeGreaterThan(5);
      if (lines.length >= tooMany) expect(shown).toBeLessThan(lines.length);
      else expect(shown).toBe(lines.length);
      if (shown < total) {
        expect(text).toContain(`and ${total - shown} more alerts (${total} in total)`);
        expect(text).toContain(INCIDENT_URL);
      } else expect(text).not.toContain('more alerts');
      // The runbook and the closing reference line survive.
      expect(text).toContain('Restart the service');
      expect(text).toContain('itsm-bridge incident inc_01');
    },
  );

  it('keeps every alert when they fit, and says how many the bridge left out', async () => {
    await env.adapter.create(draft({ alerts: alerts(3), alertTotal: 80, incidentUrl: INCIDENT_URL }));
    const text = visible(env.emulator.state.issues[0]!.description);
    expect(text).toContain('branch-muc-002.corp.example.com');
    expect(text).toContain('and 77 more alerts (80 in total)');
  });

  it('clips an oversized free text (a 65,600-character plugin output) and keeps the reference line', async () => {
    const output = `CRITICAL - ${'x'.repeat(65_600)}`;
    await env.adapter.create(draft({ description: `Disk full\n\n${output}`, alerts: alerts(50) }));
    const issue = env.emulator.state.issues[0]!;
    expect(size(issue.description)).toBeLessThanOrEqual(LIMIT);
    const text = visible(issue.description);
    expect(text).toContain('Disk full');
    expect(text).toContain('CRITICAL - xxx');
    expect(text).toContain('itsm-bridge incident inc_01');
  });

  it('clips a note longer than the limit instead of failing the comment', async () => {
    const ref = await env.adapter.create(draft());
    await env.adapter.addNote(ref, `${'alert joined\n'.repeat(4000)}last line`);
    const [comment] = env.emulator.state.issues[0]!.comments;
    expect(size(comment!.body)).toBeLessThanOrEqual(LIMIT);
    expect(JSON.stringify(comment!.body)).toContain('clipped');
  });
});
