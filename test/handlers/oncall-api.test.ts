import { API_TOKEN, ManualClock, startTestApp, type TestApp } from '../helpers/test-app';
import { ONCALL_NOW, ONCALL_YAML } from '../helpers/oncall-fixture';
import { parseIcs } from '../helpers/parse-ics';

describe('GET /api/oncall and /api/oncall/<provider>.ics (real server)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ yaml: ONCALL_YAML, clock: new ManualClock(ONCALL_NOW) });
  });
  afterAll(() => app.close());

  const get = (path: string, headers: Record<string, string> = { authorization: `Bearer ${API_TOKEN}` }) =>
    fetch(`${app.url}${path}`, { headers });

  it.each(['/api/oncall', '/api/oncall/infra.ics'])(
    'answers 401 for %s without the API token',
    async (path) => {
      const res = await get(path, {});
      expect(res.status).toBe(401);
      expect((await get(path, { authorization: `Bearer ${API_TOKEN}x` })).status).toBe(401);
    },
  );

  it('lists now and next per provider, the static list as the fallback', async () => {
    const res = await get('/api/oncall');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      providers: [
        {
          provider: 'infra',
          displayName: 'DMS Infrastructure',
          source: 'rotation',
          timeZone: 'Europe/Berlin',
          now: {
            name: 'Ben',
            phone: '+49 89 2',
            from: '2026-03-23T08:00:00.000Z',
            to: '2026-03-30T07:00:00.000Z',
          },
          next: { name: 'Cem', email: 'cem@example.com', at: '2026-03-30T07:00:00.000Z' },
          also: [],
        },
        {
          provider: 'app',
          displayName: 'DMS Application',
          source: 'static',
          timeZone: null,
          now: { name: 'Anna Schmidt', phone: '+49 89 1234', from: null, to: null },
          next: null,
          also: [],
        },
      ],
    });
  });

  it('serves eight weeks of shifts as iCalendar: CRLF, folded at 75 octets, UTC times, escaped text', async () => {
    const res = await get('/api/oncall/infra.ics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const physical = text.split('\r\n');
    for (const line of physical) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(physical.some((l) => l.startsWith(' '))).toBe(true); // the long override name was folded

    const props = parseIcs(text);
    const values = (name: string) => props.filter(([n]) => n === name).map(([, v]) => v);
    expect(values('BEGIN')).toEqual(['VCALENDAR', ...Array(11).fill('VEVENT')]);
    expect(values('DTSTAMP')).toEqual(Array(11).fill('20260325T120000Z'));
    expect(values('DTSTART')).toEqual([
      '20260323T080000Z', // Ben's shift started in winter time, before the window
      '20260330T070000Z', // 09:00 CEST from here on
      '20260406T070000Z',
      '20260408T100000Z',
      '20260409T100000Z',
      '20260413T070000Z',
      '20260420T070000Z',
      '20260427T070000Z',
      '20260504T070000Z',
      '20260511T070000Z',
      '20260518T070000Z',
    ]);
    expect(values('DTEND')[0]).toBe('20260330T070000Z');
    expect(values('SUMMARY').slice(0, 5)).toEqual([
      'On call: Ben (infra)',
      'On call: Cem (infra)',
      'On call: Anna (infra)',
      'On call: Dorothea Maximiliane von Hohenzollern-Sigmaringen\\, Bereitschaft Süd (infra)',
      'On call: Anna (infra)',
    ]);
    expect(new Set(values('UID')).size).toBe(11);
  });

  it('gives a provider without a rotation an empty calendar', async () => {
    const res = await get('/api/oncall/app.ics');
    expect(res.status).toBe(200);
    expect(parseIcs(await res.text()).filter(([n]) => n === 'BEGIN')).toEqual([['BEGIN', 'VCALENDAR']]);
  });

  it('answers 404 naming an unknown provider', async () => {
    const res = await get('/api/oncall/nope.ics');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: 'not_found',
      message: 'no provider "nope"; known: infra, app',
    });
  });
});
