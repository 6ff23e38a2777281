import { fitDescription, fitText, type OmittedAlerts } from '../../../src/core/ticket-text/fit-description';
import type { TicketDraft } from '../../../src/ports/ticket-system';
import { stormAlerts } from '../../helpers/storm-alerts';

const draft = (alerts: number, over: Partial<TicketDraft> = {}): TicketDraft => ({
  incidentKey: 'k',
  incidentId: '7',
  title: 't',
  description: 'Free text.',
  impact: 2,
  urgency: 2,
  provider: 'p',
  cmdbCi: null,
  branch: null,
  alerts: stormAlerts(alerts),
  runbook: null,
  links: [],
  ...over,
});

/** One line per alert host, the omitted line, and the reference line: easy to count. */
const render = (d: TicketDraft, omitted: OmittedAlerts | null): string =>
  [
    d.description,
    ...d.alerts.map((a) => a.host ?? '-'),
    ...(omitted ? [`+${omitted.count}/${omitted.total} ${omitted.url ?? 'no-url'}`] : []),
    `ref ${d.incidentId}`,
  ].join('\n');
const limit = (budget: number) => ({ size: (s: string) => s.length, budget });
const hosts = (text: string) => text.split('\n').filter((l) => l.startsWith('branch-')).length;

describe('fitDescription', () => {
  it.each([
    // alerts given, alertTotal, budget → alert lines kept, omitted line
    [3, undefined, 10_000, 3, null],
    [3, 80, 10_000, 3, '+77/80 u'],
    [50, 50, 500, 14, '+36/50 u'],
    [500, 500, 500, 14, '+486/500 u'],
    [50, 50, 40, 0, '+50/50 u'],
  ])('%i lines of %s alerts in %i characters keep %i lines (%s)', (given, total, budget, kept, more) => {
    const text = fitDescription(draft(given, { alertTotal: total, incidentUrl: 'u' }), render, limit(budget));
    expect(text.length).toBeLessThanOrEqual(budget);
    expect(hosts(text)).toBe(kept);
    if (more) expect(text).toContain(more);
    else expect(text).not.toContain('+');
    expect(text.endsWith('ref 7')).toBe(true);
  });

  it('keeps the largest number of alerts that fits, not fewer', () => {
    const d = draft(50, { alertTotal: 50, incidentUrl: 'u' });
    const k = hosts(fitDescription(d, render, limit(500)));
    const oneMore = render(
      { ...d, alerts: d.alerts.slice(0, k + 1) },
      { count: 49 - k, total: 50, url: 'u' },
    );
    expect(oneMore.length).toBeGreaterThan(500);
  });

  it('clips the free text when not even one alert fits, saying so with an ellipsis', () => {
    const text = fitDescription(draft(5, { description: 'x'.repeat(1000) }), render, limit(100));
    expect(text.length).toBeLessThanOrEqual(100);
    expect(text).toMatch(/^x+…\n\+5\/5 no-url\nref 7$/);
  });
});

describe('fitText', () => {
  it('leaves a text that fits alone and clips one that does not, with a note', () => {
    expect(fitText('short', (t) => t, limit(100))).toBe('short');
    const clipped = fitText('y'.repeat(1000), (t) => t, limit(200));
    expect(clipped.length).toBeLessThanOrEqual(200);
    expect(clipped).toMatch(/^y+…\n\n\(clipped to the ticket system's text limit/);
  });
});
