import { dueReportMonth } from '../../handlers/jobs/monthly-report';
import { ManualClock, startTestApp } from '../helpers/test-app';

describe('monthly SLA report schedule', () => {
  it('is due from the 1st at the configured local time, for the previous month', () => {
    const tz = 'Europe/Berlin';
    // 1 Nov 2026 07:59 in Berlin (CET, UTC+1) → not yet; 08:00 → October.
    expect(dueReportMonth(new Date('2026-11-01T06:59:00Z'), tz, '08:00')).toBeNull();
    expect(dueReportMonth(new Date('2026-11-01T07:00:00Z'), tz, '08:00')).toBe('2026-10');
    // Later in the month (after an outage) it is still due; January asks for December of the year before.
    expect(dueReportMonth(new Date('2026-11-17T12:00:00Z'), tz, '08:00')).toBe('2026-10');
    expect(dueReportMonth(new Date('2027-01-01T09:00:00Z'), tz, '08:00')).toBe('2026-12');
    // 31 Oct 23:30 UTC is already 1 Nov 00:30 in Berlin: the local date counts.
    expect(dueReportMonth(new Date('2026-10-31T23:30:00Z'), tz, '00:15')).toBe('2026-10');
  });

  it('posts last month’s report once into the configured Slack channel; the store remembers it was posted', async () => {
    const clock = new ManualClock(Date.parse('2026-11-01T07:30:00Z'));
    const yaml = `
providers:
  - name: infra
    chat: { slackChannel: "#service-management" }
  - name: app
slack:
  monthlyReport: { channel: "#service-management", at: "08:00" }
`;
    const app = await startTestApp({ yaml, clock });
    try {
      const files = () => app.sandboxes.slack!.state.files.filter((f) => f.completed);
      await app.chat!.monthly!.tick();
      expect(
        files()
          .map((f) => f.filename)
          .sort(),
      ).toEqual(['sla-report-2026-10.csv', 'sla-report-2026-10.html']);
      const [message] = app.sandboxes.slack!.messages('service-management');
      expect(message?.text).toContain('2026-10');
      expect(message?.replies.flatMap((r) => r.files.map((f) => f.filename)).sort()).toEqual([
        'sla-report-2026-10.csv',
        'sla-report-2026-10.html',
      ]);
      await app.chat!.monthly!.tick();
      expect(files()).toHaveLength(2);
      expect(await app.store.requests.hasSeen('report:slack:#service-management:2026-10')).toBe(true);
    } finally {
      await app.close();
    }
  });
});
