import { SlaConfig, SlaConfigSection } from '../../../src/config/sla';
import { evaluateTicket } from '../../../src/core/sla/evaluate-ticket';
import { compileSlaEngine } from '../../../src/sla/compile-sla';
import { t, ticket } from './sla-fixtures';

describe('SlaConfig', () => {
  it('parses {} into a complete working default', () => {
    const cfg = SlaConfig.parse({});
    expect(Object.keys(cfg.calendars).sort()).toEqual(['24x7', 'business']);
    expect(cfg.calendars.business).toMatchObject({
      timeZone: 'Europe/Berlin',
      holidays: { country: 'DE', state: 'BY' },
    });
    expect(cfg.definitions.map((d) => d.id)).toEqual(['response', 'resolution']);
    for (const d of cfg.definitions) expect(Object.keys(d.targets).sort()).toEqual(['1', '2', '3', '4', '5']);
    const resolution = cfg.definitions.find((d) => d.kind === 'resolution');
    expect(resolution?.pauseStates).toEqual(
      expect.arrayContaining([
        'On Hold',
        'Awaiting User Info',
        'Awaiting Vendor',
        'Awaiting Problem',
        'Waiting on co-provider',
      ]),
    );
    expect(resolution?.targets['1']).toEqual({ target: 4 * 3600, calendar: '24x7' });
    expect(SlaConfigSection.parse(undefined)).toEqual(cfg);
  });

  it.each([
    [{ extra: 1 }, ''],
    [{ calendars: { x: { hours: { mon: ['8-18'] } } } }, 'calendars.x.hours.mon.0'],
    [{ calendars: { x: { hours: '24x7', timeZone: 'Mars/Olympus' } } }, 'calendars.x.timeZone'],
    [
      {
        definitions: [
          {
            id: 'r',
            name: 'R',
            kind: 'resolution',
            stopStates: ['Resolved'],
            targets: { 1: { target: '1h', calendar: 'nope' } },
          },
        ],
      },
      'definitions.0.targets.1.calendar',
    ],
    [
      {
        definitions: [
          {
            id: 'r',
            name: 'R',
            kind: 'resolution',
            stopStates: [],
            targets: { 1: { target: 'soon', calendar: '24x7' } },
          },
        ],
      },
      'definitions.0.targets.1.target',
    ],
  ])('rejects %j at path "%s"', (input, path) => {
    const res = SlaConfig.safeParse(input);
    expect(res.success).toBe(false);
    expect(res.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('resolves Bavarian public holidays from date-holidays (Corpus Christi 2026-06-04)', () => {
    const opened = ticket([['2026-06-03T17:00:00+02:00', 'New', 3]]);
    const asOf = t('2026-06-08T00:00:00+02:00');
    const bavaria = evaluateTicket(opened, compileSlaEngine(SlaConfig.parse({}), 2026), asOf).find(
      (r) => r.kind === 'response',
    );
    // Wed 17–18 (1 h), Thu is a holiday in Bavaria, Fri 08–09 (1 h).
    expect(bavaria?.breachedAt).toBe(t('2026-06-05T09:00:00+02:00'));
    const berlinState = SlaConfig.parse({
      calendars: {
        business: {
          hours: {
            mon: ['08:00-18:00'],
            tue: ['08:00-18:00'],
            wed: ['08:00-18:00'],
            thu: ['08:00-18:00'],
            fri: ['08:00-18:00'],
          },
          holidays: { country: 'DE', state: 'BE' },
        },
        '24x7': { hours: '24x7' },
      },
    });
    const berlin = evaluateTicket(opened, compileSlaEngine(berlinState, 2026), asOf).find(
      (r) => r.kind === 'response',
    );
    expect(berlin?.breachedAt).toBe(t('2026-06-04T09:00:00+02:00'));
  });
});
